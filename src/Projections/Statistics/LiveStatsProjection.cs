using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.EventStore;
using Aicc.EventStore.Projections;
using Aicc.Projections.Agents;
using Npgsql;

namespace Aicc.Projections.Statistics;

/// <summary>
/// Live statistics per minute (what Flink computed in seed 000), per tenant (task_id = nil) and
/// per task: calls placed (dial started), answered and abandoned (at hang-up), handle time of
/// answered calls (connect to close), and agent occupancy as seconds busy (ringing, on a call,
/// wrapping up) against seconds idle and ready, split at minute boundaries.
/// </summary>
public sealed class LiveStatsProjection(PostgresEventStore store) : IAsyncProjection
{
    public const string ProjectionName = "live-stats";

    public string Name => ProjectionName;

    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var (recorded, callEvent, after) in await CallFolding.FoldAsync(store, connection, transaction, events, cancellationToken))
        {
            if (after is not Call.Existing call)
            {
                continue;
            }

            switch (callEvent)
            {
                case CallEvent.DialingStarted e:
                    await AddCallAsync(connection, transaction, recorded.Tenant, call.Info.TaskId, e.DialingAt, placed: 1, cancellationToken: cancellationToken);
                    break;
                case CallEvent.HungUp { Outcome: CallOutcome.Answered } e:
                    var connected = call.Info.Timeline.ConnectedAt ?? e.HungUpAt;
                    await AddCallAsync(connection, transaction, recorded.Tenant, call.Info.TaskId, e.HungUpAt, answered: 1, handled: 1,
                        handleSeconds: Math.Max(0, (e.HungUpAt - connected).TotalSeconds), cancellationToken: cancellationToken);
                    break;
                case CallEvent.HungUp { Outcome: CallOutcome.Abandoned } e:
                    await AddCallAsync(connection, transaction, recorded.Tenant, call.Info.TaskId, e.HungUpAt, abandoned: 1, cancellationToken: cancellationToken);
                    break;
            }
        }

        foreach (var recorded in events)
        {
            if (recorded.Data is AgentEvent agentEvent && AgentBoardProjection.PresenceAfter(agentEvent) is { } presence)
            {
                await MovePresenceAsync(connection, transaction, recorded.Tenant, AgentId(agentEvent), presence.State, presence.Since, cancellationToken);
            }
        }
    }

    public async Task ResetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("truncate live_stats, live_agent_presence", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static DateTimeOffset MinuteOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
    }

    private static async Task AddCallAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, Guid? taskId, DateTimeOffset at,
        int placed = 0, int answered = 0, int abandoned = 0, int handled = 0, double handleSeconds = 0, CancellationToken cancellationToken = default)
    {
        foreach (var scope in taskId is { } task ? new[] { Guid.Empty, task } : [Guid.Empty])
        {
            await using var command = new NpgsqlCommand(
                """
                insert into live_stats as s (tenant, task_id, minute, placed, answered, abandoned, handled, handle_seconds)
                values ($1, $2, $3, $4, $5, $6, $7, $8)
                on conflict (tenant, task_id, minute) do update set placed = s.placed + excluded.placed, answered = s.answered + excluded.answered,
                    abandoned = s.abandoned + excluded.abandoned, handled = s.handled + excluded.handled,
                    handle_seconds = s.handle_seconds + excluded.handle_seconds
                """, connection, transaction);
            command.Parameters.AddWithValue(tenant);
            command.Parameters.AddWithValue(scope);
            command.Parameters.AddWithValue(MinuteOf(at));
            command.Parameters.AddWithValue(placed);
            command.Parameters.AddWithValue(answered);
            command.Parameters.AddWithValue(abandoned);
            command.Parameters.AddWithValue(handled);
            command.Parameters.AddWithValue(handleSeconds);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Closes the agent's previous presence interval into per-minute busy/idle seconds and records the new one.</summary>
    private static async Task MovePresenceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, Guid agentId, string state, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using (var previous = new NpgsqlCommand("select state, since from live_agent_presence where tenant = $1 and agent_id = $2", connection, transaction))
        {
            previous.Parameters.AddWithValue(tenant);
            previous.Parameters.AddWithValue(agentId);
            string? oldState = null;
            DateTimeOffset oldSince = default;
            await using (var reader = await previous.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    oldState = reader.GetString(0);
                    oldSince = reader.GetFieldValue<DateTimeOffset>(1);
                }
            }

            var busy = oldState is "ringing" or "on_call" or "after_call_work";
            if ((busy || oldState == "ready") && since > oldSince)
            {
                for (var start = oldSince; start < since;)
                {
                    var end = MinuteOf(start).AddMinutes(1) < since ? MinuteOf(start).AddMinutes(1) : since;
                    await using var add = new NpgsqlCommand(
                        """
                        insert into live_stats as s (tenant, task_id, minute, busy_seconds, idle_seconds) values ($1, $2, $3, $4, $5)
                        on conflict (tenant, task_id, minute) do update set busy_seconds = s.busy_seconds + excluded.busy_seconds,
                            idle_seconds = s.idle_seconds + excluded.idle_seconds
                        """, connection, transaction);
                    var seconds = (end - start).TotalSeconds;
                    add.Parameters.AddWithValue(tenant);
                    add.Parameters.AddWithValue(Guid.Empty);
                    add.Parameters.AddWithValue(MinuteOf(start));
                    add.Parameters.AddWithValue(busy ? seconds : 0.0);
                    add.Parameters.AddWithValue(busy ? 0.0 : seconds);
                    await add.ExecuteNonQueryAsync(cancellationToken);
                    start = end;
                }
            }
        }

        await using var upsert = new NpgsqlCommand(
            """
            insert into live_agent_presence (tenant, agent_id, state, since) values ($1, $2, $3, $4)
            on conflict (tenant, agent_id) do update set state = excluded.state, since = excluded.since
            """, connection, transaction);
        upsert.Parameters.AddWithValue(tenant);
        upsert.Parameters.AddWithValue(agentId);
        upsert.Parameters.AddWithValue(state);
        upsert.Parameters.AddWithValue(since);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Guid AgentId(AgentEvent e) => e switch
    {
        AgentEvent.Created x => x.AgentId,
        AgentEvent.LoggedIn x => x.AgentId,
        AgentEvent.BecameReady x => x.AgentId,
        AgentEvent.WentNotReady x => x.AgentId,
        AgentEvent.ForcedNotReady x => x.AgentId,
        AgentEvent.CallOffered x => x.AgentId,
        AgentEvent.OfferEnded x => x.AgentId,
        AgentEvent.CallAccepted x => x.AgentId,
        AgentEvent.CallEnded x => x.AgentId,
        AgentEvent.AfterCallWorkEnded x => x.AgentId,
        AgentEvent.LoggedOut x => x.AgentId,
        AgentEvent.Removed x => x.AgentId,
        _ => throw new InvalidOperationException($"No presence change in {e.GetType().Name}."),
    };
}
