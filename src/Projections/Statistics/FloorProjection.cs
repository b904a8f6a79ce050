using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.EventStore.Projections;
using Aicc.Projections.Calls;
using Npgsql;
using NpgsqlTypes;

namespace Aicc.Projections.Statistics;

/// <summary>
/// The floor a wallboard shows: where every call stands now (dialing, waiting for an agent, in
/// progress, ended) with its task and the skill group it last queued for, each task's name,
/// abandon cap, skill group and dispositions, and each agent's wrap-up deadline. Rows hold the
/// call's folded state, so replaying from zero writes the same rows as following live.
/// </summary>
public sealed class FloorProjection(PostgresEventStore store) : IAsyncProjection
{
    public const string ProjectionName = "floor";

    public string Name => ProjectionName;

    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var recorded in events)
        {
            switch (recorded.Data)
            {
                case CallTaskEvent taskEvent:
                    await ApplyTaskAsync(connection, transaction, recorded.Tenant, taskEvent, cancellationToken);
                    break;
                case AgentEvent.CallEnded e:
                    await using (var wrapup = new NpgsqlCommand(
                        """
                        insert into floor_agent_wrapup (tenant, agent_id, call_id, until) values ($1, $2, $3, $4)
                        on conflict (tenant, agent_id) do update set call_id = excluded.call_id, until = excluded.until
                        """, connection, transaction))
                    {
                        wrapup.Parameters.AddWithValue(recorded.Tenant);
                        wrapup.Parameters.AddWithValue(e.AgentId);
                        wrapup.Parameters.AddWithValue(e.CallId);
                        wrapup.Parameters.AddWithValue(e.AfterCallWorkUntil);
                        await wrapup.ExecuteNonQueryAsync(cancellationToken);
                    }

                    break;
            }
        }

        var folded = await CallFolding.FoldAsync(store, connection, transaction, events, cancellationToken);
        foreach (var call in folded.GroupBy(x => (x.Recorded.Tenant, x.Recorded.StreamId)))
        {
            // The group a call last queued for in this batch; earlier batches' choice stays otherwise.
            var group = call.Select(x => x.Event switch
            {
                CallEvent.Queued q => q.SkillGroup,
                CallEvent.Transferred { To: TransferTarget.ToSkillGroup g } => g.SkillGroup,
                _ => null,
            }).LastOrDefault(g => g is not null);
            if (call.Last().After is Call.Existing existing)
            {
                await UpsertCallAsync(connection, transaction, call.Key.Tenant, existing, group, cancellationToken);
            }
        }
    }

    public async Task ResetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("truncate floor_calls, floor_tasks, floor_agent_wrapup", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>What the wallboard calls a call's state: dialing, waiting (queued or ringing an agent), in_progress or ended.</summary>
    public static string StatusOf(Call.Existing call) => call switch
    {
        Call.Ended => "ended",
        Call.Queued or Call.Offered => "waiting",
        Call.Answered or Call.WithRobot or Call.WithAgent => "in_progress",
        _ when call.Info.Timeline.CustomerAnswered => "in_progress",
        _ => "dialing",
    };

    private static async Task ApplyTaskAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, CallTaskEvent e, CancellationToken cancellationToken)
    {
        var (sql, taskId, value) = e switch
        {
            CallTaskEvent.Created x => (
                "insert into floor_tasks (tenant, task_id, name, abandon_cap) values ($1, $2, $3, $4) on conflict do nothing",
                x.TaskId, (object?)x.Name),
            CallTaskEvent.Renamed x => ("update floor_tasks set name = $3 where tenant = $1 and task_id = $2", x.TaskId, x.Name),
            CallTaskEvent.PacingSet x => ("update floor_tasks set abandon_cap = $3 where tenant = $1 and task_id = $2", x.TaskId, (double)x.Pacing.AbandonCap),
            CallTaskEvent.HandlerSet x => ("update floor_tasks set skill_group = $3 where tenant = $1 and task_id = $2", x.TaskId, x.Handler switch
            {
                TaskHandler.AgentGroup g => g.SkillGroup,
                TaskHandler.RobotThenAgent g => g.SkillGroup,
                _ => null,
            }),
            CallTaskEvent.DispositionsSet x => ("update floor_tasks set dispositions = $3 where tenant = $1 and task_id = $2", x.TaskId, x.Dispositions.ToArray()),
            _ => (null, Guid.Empty, null),
        };
        if (sql is null)
        {
            return;
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(taskId);
        command.Parameters.Add(value is null ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = DBNull.Value } : new NpgsqlParameter { Value = value });
        if (e is CallTaskEvent.Created created)
        {
            command.Parameters.AddWithValue((double)created.Pacing.AbandonCap);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task UpsertCallAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, Call.Existing call, string? group, CancellationToken cancellationToken)
    {
        var timeline = call.Info.Timeline;
        var ended = call as Call.Ended;
        double? handle = ended is not null && timeline.ConnectedAt is { } connected && timeline.ClosedAt is { } closed
            ? Math.Max(0, (closed - connected).TotalSeconds)
            : null;
        DateTimeOffset? waitingSince = call switch
        {
            Call.Queued q => q.Since,
            Call.Offered o => o.Since,
            _ => null,
        };
        await using var command = new NpgsqlCommand(
            """
            insert into floor_calls as f (tenant, call_id, task_id, skill_group, status, waiting_since, created_at, answered_at, connected_at,
                ended_at, outcome, handle_seconds, agent_id)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            on conflict (tenant, call_id) do update set task_id = excluded.task_id, skill_group = coalesce(excluded.skill_group, f.skill_group),
                status = excluded.status, waiting_since = excluded.waiting_since, created_at = excluded.created_at,
                answered_at = excluded.answered_at, connected_at = excluded.connected_at, ended_at = excluded.ended_at,
                outcome = excluded.outcome, handle_seconds = excluded.handle_seconds, agent_id = excluded.agent_id
            """, connection, transaction);
        var p = command.Parameters;
        p.AddWithValue(tenant);
        p.AddWithValue(call.Info.CallId);
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)call.Info.TaskId ?? DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)group ?? DBNull.Value });
        p.AddWithValue(StatusOf(call));
        Time(p, waitingSince);
        p.AddWithValue(timeline.CreatedAt);
        Time(p, timeline.CustomerAnsweredAt);
        Time(p, timeline.ConnectedAt);
        Time(p, timeline.ClosedAt);
        p.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.Text,
            Value = ended is null ? DBNull.Value : CallRecordsProjection.Snake(ended.Outcome.ToString()),
        });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = (object?)handle ?? DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)call.Info.AgentId ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Time(NpgsqlParameterCollection p, DateTimeOffset? value) =>
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)value ?? DBNull.Value });
}
