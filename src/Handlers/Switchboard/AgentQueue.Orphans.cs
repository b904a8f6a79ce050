using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aicc.Handlers.Switchboard;

public sealed partial class AgentQueue
{
    /// <summary>
    /// Runs <see cref="ReapOrphanedCallsAsync"/> every claim lease until cancelled. Every node may
    /// run it: the rows are taken with SKIP LOCKED, and each orphan is closed in one transaction.
    /// </summary>
    public async Task RunHousekeepingAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReapOrphanedCallsAsync(cancellationToken);
                await Task.Delay(_options.ClaimLease, _options.Time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException e)
            {
                _logger.LogWarning(e, "Reaping orphaned calls failed; trying again");
                await Task.Delay(_options.ClaimLease, _options.Time, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Closes calls whose node stopped renewing its claim (it crashed, and the call's media died
    /// with it) for twice the lease: the call is hung up by the platform with a channel error and
    /// its agent is released (a ringing offer withdrawn, a call ended without wrap-up), so no seat
    /// stays stuck on a call nobody carries. Returns how many calls were closed.
    /// </summary>
    public async Task<int> ReapOrphanedCallsAsync(CancellationToken cancellationToken)
    {
        var reaped = 0;
        while (true)
        {
            await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            string tenant;
            Guid callId;
            Guid? agentId;
            await using (var take = new NpgsqlCommand("""
                select tenant, call_id, agent_id from acd_calls
                where state <> 'ended' and lease_until < now() - $1
                order by lease_until limit 1
                for update skip locked
                """, connection, transaction))
            {
                take.Parameters.AddWithValue(_options.ClaimLease);
                await using var reader = await take.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return reaped;
                }

                (tenant, callId, agentId) = (reader.GetString(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetGuid(2));
            }

            var now = Now;
            var session = _store.OpenSession(connection, transaction);
            var metadata = new EventMetadata(CorrelationId: callId.ToString(), User: "acd-reaper");
            var (call, _) = await CommandRunner.LoadAsync(_store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), cancellationToken, connection, transaction);
            if (call is Call.Existing)
            {
                await CommandRunner.RunAsync(session, _store, Deciders.Call, tenant, Deciders.Call.StreamId(callId),
                    new CallCommand.HangUp(callId, HangUpParty.Platform, CloseReason.ChannelError, now), metadata, cancellationToken);
            }

            if (agentId is { } agent)
            {
                var (seat, _) = await CommandRunner.LoadAsync(_store, Deciders.Agent, tenant, Deciders.Agent.StreamId(agent), cancellationToken, connection, transaction);
                AgentCommand? release = seat switch
                {
                    Agent.Active { Presence: AgentPresence.Ringing r } when r.CallId == callId => new AgentCommand.EndOffer(agent, callId, OfferEndReason.Withdrawn, now),
                    Agent.Active { Presence: AgentPresence.OnCall o } when o.CallId == callId => new AgentCommand.EndCall(agent, callId, TimeSpan.Zero, now),
                    _ => null,
                };
                if (release is not null)
                {
                    await CommandRunner.RunAsync(session, _store, Deciders.Agent, tenant, Deciders.Agent.StreamId(agent), release, metadata, cancellationToken);
                }
            }

            await AgentWrapUp.ForgetCallAsync(connection, transaction, tenant, callId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _logger.LogWarning("Closed call {Call} of tenant {Tenant}: its node stopped carrying it", callId, tenant);
            reaped++;
            Wake();
        }
    }
}
