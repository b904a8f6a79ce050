using System.Text.Json;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Npgsql;
using NpgsqlTypes;

namespace Aicc.Handlers.Switchboard;

public sealed partial class AgentQueue
{
    private const int MaxAppendAttempts = 8;

    /// <summary>
    /// The call's claim row: this node carries it, it waits since <see cref="QueuedCall.QueuedAt"/>,
    /// and what the agent's pop-up shows. Queued again (a transfer) keeps its place and pop-up.
    /// </summary>
    private async Task ClaimAsync(QueuedCall call, CancellationToken cancellationToken)
    {
        await using var command = _store.DataSource.CreateCommand("""
            insert into acd_calls (tenant, call_id, skill_group, queued_at, node, lease_until, state, caller, task_id, variables, context)
            values ($1, $2, $3, $4, $5, now() + $6, 'waiting', $7, $8, $9::jsonb, $10)
            on conflict (tenant, call_id) do update set
                skill_group = excluded.skill_group, node = excluded.node, lease_until = excluded.lease_until,
                state = 'waiting', agent_id = null
            """);
        command.Parameters.AddWithValue(Deciders.TenantKey(call.TenantId));
        command.Parameters.AddWithValue(call.CallId);
        command.Parameters.AddWithValue(call.SkillGroup);
        command.Parameters.AddWithValue(call.QueuedAt);
        command.Parameters.AddWithValue(_options.NodeId);
        command.Parameters.AddWithValue(_options.ClaimLease);
        command.Parameters.AddWithValue(call.Caller);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)call.TaskId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.AddWithValue(JsonSerializer.Serialize(call.Variables));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)call.Context ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The call left the queue without an agent: its claim goes, so it no longer holds up younger calls.</summary>
    private async Task ReleaseAsync(QueuedCall call, CancellationToken cancellationToken)
    {
        Wake();
        await using var command = _store.DataSource.CreateCommand("delete from acd_calls where tenant = $1 and call_id = $2");
        command.Parameters.AddWithValue(Deciders.TenantKey(call.TenantId));
        command.Parameters.AddWithValue(call.CallId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RenewClaimAsync(QueuedCall call, CancellationToken cancellationToken)
    {
        await using var command = _store.DataSource.CreateCommand("update acd_calls set lease_until = now() + $3 where tenant = $1 and call_id = $2 and node = $4");
        command.Parameters.AddWithValue(Deciders.TenantKey(call.TenantId));
        command.Parameters.AddWithValue(call.CallId);
        command.Parameters.AddWithValue(_options.ClaimLease);
        command.Parameters.AddWithValue(_options.NodeId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task SetClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, QueuedCall call, string state, Guid? agentId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "update acd_calls set state = $3, agent_id = $4, node = $5, lease_until = now() + $6 where tenant = $1 and call_id = $2",
            connection,
            transaction);
        command.Parameters.AddWithValue(Deciders.TenantKey(call.TenantId));
        command.Parameters.AddWithValue(call.CallId);
        command.Parameters.AddWithValue(state);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)agentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.AddWithValue(_options.NodeId);
        command.Parameters.AddWithValue(_options.ClaimLease);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// One dispatch attempt, in one transaction under the queue's advisory lock: renew the call's
    /// claim; if an older call of the group still waits (on any node, with a live claim) it goes
    /// first; otherwise offer the call to the longest-idle ready agent of the board. The agent's
    /// offer and the call's are appended together with the versions read, so a racing offer of
    /// another queue or node to the same agent makes this transaction fail and change nothing.
    /// </summary>
    private async Task<AgentSeat?> TryOfferAsync(QueuedCall call, string? group, Guid? targetAgent, IReadOnlySet<Guid> excluded, CancellationToken cancellationToken)
    {
        var tenant = Deciders.TenantKey(call.TenantId);
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockQueue = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            lockQueue.Parameters.AddWithValue($"acd:{tenant}:{group ?? targetAgent.ToString()}");
            await lockQueue.ExecuteNonQueryAsync(cancellationToken);
        }

        await SetClaimAsync(connection, transaction, call, "waiting", null, cancellationToken);
        if (group is not null && await OlderCallWaitsAsync(connection, transaction, tenant, group, call, cancellationToken))
        {
            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        IReadOnlyList<Guid> candidates = targetAgent is { } only ? [only] : await ReadyAgentsAsync(connection, transaction, tenant, group!, cancellationToken);
        foreach (var agentId in candidates.Where(a => !excluded.Contains(a)))
        {
            var agentStream = Deciders.Agent.StreamId(agentId);
            var (agent, agentVersion) = await CommandRunner.LoadAsync(_store, Deciders.Agent, tenant, agentStream, cancellationToken, connection, transaction);
            if (agent is not Agent.Active { Presence: AgentPresence.Ready, Profile.Sip: { } sip } active)
            {
                continue;
            }

            var (callState, callVersion) = await CommandRunner.LoadAsync(_store, Deciders.Call, tenant, Deciders.Call.StreamId(call.CallId), cancellationToken, connection, transaction);
            var now = Now;
            var agentEvents = Deciders.Agent.Decide(new AgentCommand.OfferCall(agentId, call.CallId, now), agent);
            var callEvents = Deciders.Call.Decide(new CallCommand.OfferToAgent(call.CallId, agentId, now), callState);
            var session = _store.OpenSession(connection, transaction);
            try
            {
                await session.AppendAsync(tenant, agentStream, Deciders.Agent.StreamType, ExpectedVersion.Exact(agentVersion), agentEvents, Metadata(call), cancellationToken);
                if (callEvents.Count > 0)
                {
                    await session.AppendAsync(tenant, Deciders.Call.StreamId(call.CallId), Deciders.Call.StreamType, ExpectedVersion.Exact(callVersion), callEvents, Metadata(call), cancellationToken);
                }
            }
            catch (WrongExpectedVersionException)
            {
                // Another queue offered this agent something (or the agent changed state) since we
                // read it: nothing of ours is written; look again at the next poll.
                await transaction.RollbackAsync(CancellationToken.None);
                return null;
            }

            await SetClaimAsync(connection, transaction, call, "offered", agentId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _logger.LogDebugOffer(call.CallId, agentId);
            return new AgentSeat(call.TenantId, agentId, active.Profile.DisplayName, sip.Username);
        }

        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    private static async Task<bool> OlderCallWaitsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, string group, QueuedCall call, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            select exists (
                select 1 from acd_calls
                where tenant = $1 and skill_group = $2 and state = 'waiting' and lease_until > now()
                  and (queued_at, call_id) < ($3, $4))
            """, connection, transaction);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(group);
        command.Parameters.AddWithValue(call.QueuedAt);
        command.Parameters.AddWithValue(call.CallId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Ready agents of the group, longest idle first (ready since the earliest), from the inline agent board.</summary>
    private static async Task<IReadOnlyList<Guid>> ReadyAgentsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, string group, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            select agent_id from agent_board
            where tenant = $1 and not removed and state = 'ready' and $2 = any(skill_groups)
            order by since, agent_id
            limit 20
            """, connection, transaction);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(group);
        var agents = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            agents.Add(reader.GetGuid(0));
        }

        return agents;
    }

    /// <summary>
    /// Decides one command on the agent's stream and one on the call's and appends both (plus
    /// <paramref name="alsoInTransaction"/>) in one transaction, deciding again on a concurrent
    /// append: the dialer may close the call's stream at the same moment, and a stale command
    /// then decides nothing.
    /// </summary>
    private async Task AppendAsync(
        QueuedCall call,
        Guid agentId,
        AgentCommand? agentCommand,
        CallCommand? callCommand,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task>? alsoInTransaction,
        CancellationToken cancellationToken)
    {
        var tenant = Deciders.TenantKey(call.TenantId);
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var session = _store.OpenSession(connection, transaction);
            try
            {
                if (agentCommand is not null)
                {
                    await CommandRunner.RunAsync(session, _store, Deciders.Agent, tenant, Deciders.Agent.StreamId(agentId), agentCommand, Metadata(call), cancellationToken);
                }

                if (callCommand is not null)
                {
                    await CommandRunner.RunAsync(session, _store, Deciders.Call, tenant, Deciders.Call.StreamId(call.CallId), callCommand, Metadata(call), cancellationToken);
                }

                if (alsoInTransaction is not null)
                {
                    await alsoInTransaction(connection, transaction, cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return;
            }
            catch (WrongExpectedVersionException) when (attempt < MaxAppendAttempts)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
            }
        }
    }
}

internal static partial class AgentQueueLog
{
    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "Call {Call} offered to agent {Agent}")]
    public static partial void LogDebugOffer(this Microsoft.Extensions.Logging.ILogger logger, Guid call, Guid agent);
}
