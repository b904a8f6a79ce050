using Aicc.Domain.Dialing;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Npgsql;

namespace Aicc.Handlers.Dialing;

/// <summary>
/// Folds a task's recent calls into <see cref="PacingStatistics"/> when its dialer starts, so a
/// dialer that takes over mid-campaign (or restarts after a crash) paces from the task's own
/// answer rate and ring, no-answer, talk and wrap-up times instead of warming up from nothing.
/// </summary>
public static class PacingHistory
{
    /// <summary>How many of the task's most recent attempts are folded (the samples keep 400).</summary>
    public const int Depth = 400;

    /// <returns>The statistics, and the position of the newest wrap-up folded in (for <see cref="WrapUpsSinceAsync"/>).</returns>
    public static async Task<(PacingStatistics Statistics, long WrapSeq)> LoadAsync(PostgresEventStore store, TaskDialerOptions options, CancellationToken cancellationToken)
    {
        var statistics = await LoadCallsAsync(store, options, cancellationToken);
        var (wraps, wrapSeq) = await WrapUpsSinceAsync(store, options, 0, cancellationToken);
        return (wraps.TakeLast(Depth).Aggregate(statistics, (s, seconds) => s.WrapEnded(seconds)), wrapSeq);
    }

    /// <summary>
    /// The after-call work of the task's calls that agents finished after event
    /// <paramref name="afterSeq"/>: seconds from the call's hang-up to the agent's end of wrap-up,
    /// oldest first, and the newest position seen (pass it back to get only later ones). The
    /// dialer folds these in as they happen, so its prediction of agents becoming free follows
    /// how long this task's agents actually wrap up.
    /// </summary>
    public static async Task<(IReadOnlyList<double> Seconds, long LastSeq)> WrapUpsSinceAsync(
        PostgresEventStore store, TaskDialerOptions options, long afterSeq, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            select w.seq_id, extract(epoch from (w.data->>'endedAt')::timestamptz - (h.data->>'hungUpAt')::timestamptz)::float8
            from es_events w
            join es_events c on c.tenant_id = w.tenant_id and c.stream_id = 'call-' || (w.data->>'callId') and c.type = 'call.outbound_created.v1'
            join es_events h on h.tenant_id = w.tenant_id and h.stream_id = c.stream_id and h.type = 'call.hung_up.v1'
            where w.tenant_id = $1 and w.type = 'agent.after_call_work_ended.v1' and w.seq_id > $3 and c.data->>'taskId' = $2
            order by w.seq_id
            """,
            connection);
        command.Parameters.AddWithValue(Deciders.TenantKey(options.TenantId));
        command.Parameters.AddWithValue(options.TaskId.ToString());
        command.Parameters.AddWithValue(afterSeq);
        var seconds = new List<double>();
        var last = afterSeq;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            last = reader.GetInt64(0);
            var wrap = reader.GetDouble(1);
            if (wrap >= 0)
            {
                seconds.Add(wrap);
            }
        }

        return (seconds, last);
    }

    private static async Task<PacingStatistics> LoadCallsAsync(PostgresEventStore store, TaskDialerOptions options, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            select d.timestamp,
                   (select min(a.timestamp) from es_events a where a.tenant_id = c.tenant_id and a.stream_id = c.stream_id and a.type = 'call.answered.v1'),
                   (select min(g.timestamp) from es_events g where g.tenant_id = c.tenant_id and g.stream_id = c.stream_id and g.type = 'call.connected_to_agent.v1'),
                   (select min(h.timestamp) from es_events h where h.tenant_id = c.tenant_id and h.stream_id = c.stream_id and h.type = 'call.hung_up.v1'),
                   (select h.data->>'outcome' from es_events h where h.tenant_id = c.tenant_id and h.stream_id = c.stream_id and h.type = 'call.hung_up.v1' limit 1)
            from es_events c
            join es_events d on d.tenant_id = c.tenant_id and d.stream_id = c.stream_id and d.version = 2 and d.type = 'call.dialing_started.v1'
            where c.tenant_id = $1 and c.type = 'call.outbound_created.v1' and c.data->>'taskId' = $2
            order by c.seq_id desc
            limit $3
            """,
            connection);
        command.Parameters.AddWithValue(Deciders.TenantKey(options.TenantId));
        command.Parameters.AddWithValue(options.TaskId.ToString());
        command.Parameters.AddWithValue(Depth);
        var calls = new List<(DateTimeOffset Placed, DateTimeOffset? Answered, DateTimeOffset? Connected, DateTimeOffset? Ended, string? Outcome)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                calls.Add((
                    reader.GetFieldValue<DateTimeOffset>(0),
                    reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }

        return Fold(options.Pacing, calls.OrderBy(c => c.Placed));
    }

    /// <summary>The statistics of calls given oldest first: placement, answer, agent connection, end and outcome of each.</summary>
    public static PacingStatistics Fold(
        PacingSettings settings,
        IEnumerable<(DateTimeOffset Placed, DateTimeOffset? Answered, DateTimeOffset? Connected, DateTimeOffset? Ended, string? Outcome)> calls)
    {
        var statistics = PacingStatistics.Initial(settings);
        foreach (var call in calls)
        {
            statistics = statistics.CallPlaced(call.Placed);
            if (call.Answered is { } answered)
            {
                statistics = statistics.CallAnswered(call.Placed, answered);
                if (call.Ended is { } end)
                {
                    statistics = statistics.LiveAnswerResolved(end, abandoned: call.Connected is null, dialedAhead: false, settings);
                    if (call.Connected is { } connected)
                    {
                        statistics = statistics.TalkEnded((end - connected).TotalSeconds);
                    }
                }
            }
            else if (call.Ended is { } ended)
            {
                statistics = statistics.CallUnanswered((ended - call.Placed).TotalSeconds);
            }
        }

        return statistics;
    }
}
