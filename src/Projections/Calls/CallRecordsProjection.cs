using System.Text.Json;
using Aicc.Domain.Calls;
using Aicc.EventStore;
using Aicc.EventStore.Projections;
using Npgsql;
using NpgsqlTypes;

namespace Aicc.Projections.Calls;

/// <summary>
/// Seed 001's call record, one row per call. Each touched call is folded with the domain's own
/// <see cref="Call.Evolve"/> up to the batch's last event of that stream, so the record's times
/// (which leg is A depends on the direction) can never drift from the aggregate's, and a rebuild
/// from zero produces the same rows.
/// </summary>
public sealed class CallRecordsProjection(PostgresEventStore store) : IAsyncProjection
{
    public const string ProjectionName = "call-records";

    private const string StreamType = "call";

    public string Name => ProjectionName;

    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        var touched = events
            .Where(e => e.StreamType == StreamType && e.Data is CallEvent)
            .GroupBy(e => (e.Tenant, e.StreamId))
            .Select(g => (g.Key.Tenant, g.Key.StreamId, Version: g.Max(e => e.Version)));
        foreach (var (tenant, streamId, upTo) in touched)
        {
            var history = await store.ReadStreamAsync(connection, transaction, tenant, streamId, 1, cancellationToken);
            var state = history.Where(e => e.Version <= upTo).Select(e => e.Data).OfType<CallEvent>().Aggregate(Call.Initial, Call.Evolve);
            if (state is Call.Existing existing)
            {
                await UpsertAsync(connection, transaction, tenant, existing, upTo, cancellationToken);
            }
        }
    }

    public async Task ResetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("truncate call_records", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, Call.Existing call, long version, CancellationToken cancellationToken)
    {
        var info = call.Info;
        var ended = call as Call.Ended;
        var times = info.Timeline.ToTwoLegTimes(info.Direction);
        var recording = info.Recordings.LastOrDefault(r => r.Location is not null)?.Location is { } location ? RecordingUrl(info.CallId, location) : null;
        await using var command = new NpgsqlCommand(
            """
            insert into call_records (tenant, call_id, direction, caller, called, channel, state, a_call_time, b_call_time, a_offhook_time,
                b_offhook_time, conn_time, close_time, duration, close_type, hangup_by, outcome, recording_url, biz_data, task_id, customer_id,
                attempt, agent_id, robot_id, disposition, disposition_note, created_at, version, agent_connect_time)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19::jsonb, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)
            on conflict (tenant, call_id) do update set direction = excluded.direction, caller = excluded.caller, called = excluded.called,
                channel = excluded.channel, state = excluded.state, a_call_time = excluded.a_call_time, b_call_time = excluded.b_call_time,
                a_offhook_time = excluded.a_offhook_time, b_offhook_time = excluded.b_offhook_time, conn_time = excluded.conn_time,
                close_time = excluded.close_time, duration = excluded.duration, close_type = excluded.close_type, hangup_by = excluded.hangup_by,
                outcome = excluded.outcome, recording_url = excluded.recording_url, biz_data = excluded.biz_data, task_id = excluded.task_id,
                customer_id = excluded.customer_id, attempt = excluded.attempt, agent_id = excluded.agent_id, robot_id = excluded.robot_id,
                disposition = excluded.disposition, disposition_note = excluded.disposition_note, created_at = excluded.created_at,
                version = excluded.version, agent_connect_time = excluded.agent_connect_time
            """, connection, transaction);
        var p = command.Parameters;
        p.AddWithValue(tenant);
        p.AddWithValue(info.CallId);
        p.AddWithValue(info.Direction.ToString().ToLowerInvariant());
        Text(p, info.Caller);
        p.AddWithValue(info.Called);
        Text(p, info.LineId?.ToString());
        p.AddWithValue(info.RecordState(ended is not null));
        Time(p, times.ACallTime);
        Time(p, times.BCallTime);
        Time(p, times.AOffhookTime);
        Time(p, times.BOffhookTime);
        Time(p, times.ConnTime);
        Time(p, times.CloseTime);
        p.AddWithValue(times.DurationSeconds);
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = ended is null ? DBNull.Value : (int)ended.Reason });
        Text(p, ended is null ? null : Snake(ended.By.ToString()));
        Text(p, ended is null ? null : Snake(ended.Outcome.ToString()));
        Text(p, recording);
        p.AddWithValue(JsonSerializer.Serialize(info.BusinessData, store.Registry.SerializerOptions));
        Id(p, info.TaskId);
        Id(p, info.CustomerId);
        p.AddWithValue(info.Attempt);
        Id(p, info.AgentId);
        Id(p, info.RobotId);
        Text(p, info.Disposition?.Disposition);
        Text(p, info.Disposition?.Note);
        p.AddWithValue(info.Timeline.CreatedAt);
        p.AddWithValue(version);
        Time(p, info.Timeline.AgentConnectedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Enum names as the API spells them: NoAnswer -> no_answer.</summary>
    public static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static void Text(NpgsqlParameterCollection p, string? value) =>
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value });

    private static void Time(NpgsqlParameterCollection p, DateTimeOffset? value) =>
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)value ?? DBNull.Value });

    private static void Id(NpgsqlParameterCollection p, Guid? value) =>
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)value ?? DBNull.Value });

    /// <summary>
    /// A recording this platform keeps (a location in its recordings folder) is played back through
    /// the call's recording endpoint, which checks who asks; one stored elsewhere keeps its own URL.
    /// </summary>
    private static string RecordingUrl(Guid callId, string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? location : $"/api/v1/calls/{callId}/recording";
}
