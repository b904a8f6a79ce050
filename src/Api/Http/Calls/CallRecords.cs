using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Aicc.Api.Http.Calls;

/// <summary>
/// Reads the call_records read model: the filtered page the query API returns and the CSV
/// export that HTTP and <c>aicc export calls</c> share, so both always have the same columns.
/// </summary>
public static class CallRecords
{
    /// <summary>
    /// One call record (seed 001's columns plus task, agent, outcome, disposition). After a robot
    /// hands a call to an agent, connTime and duration count from the robot's answer and
    /// agentConnectTime says when the agent took over.
    /// </summary>
    public sealed record CallRecord(
        Guid Id, string Direction, string? Caller, string Called, string? Channel, string State,
        DateTimeOffset? ACallTime, DateTimeOffset? BCallTime, DateTimeOffset? AOffhookTime, DateTimeOffset? BOffhookTime,
        DateTimeOffset? ConnTime, DateTimeOffset? CloseTime, int Duration, int? CloseType, string? HangupBy, string? Outcome,
        string? RecordingUrl, JsonElement BizData, Guid? TaskId, Guid? CustomerId, int Attempt, Guid? AgentId, Guid? RobotId,
        string? Disposition, string? DispositionNote, DateTimeOffset CreatedAt, long Version, DateTimeOffset? AgentConnectTime);

    /// <summary>What a list can be narrowed by; every field is optional.</summary>
    public sealed record Filter(DateTimeOffset? From, DateTimeOffset? To, Guid? TaskId, Guid? AgentId, string? Number, string? Outcome);

    public static readonly string[] CsvColumns =
    [
        "call_id", "tenant", "direction", "caller", "called", "channel", "state", "a_call_time", "b_call_time", "a_offhook_time",
        "b_offhook_time", "conn_time", "close_time", "duration", "close_type", "hangup_by", "outcome", "recording_url", "biz_data",
        "task_id", "customer_id", "attempt", "agent_id", "robot_id", "disposition", "disposition_note", "created_at", "agent_connect_time",
    ];

    private const string Columns =
        """
        call_id, direction, caller, called, channel, state, a_call_time, b_call_time, a_offhook_time, b_offhook_time, conn_time, close_time,
        duration, close_type, hangup_by, outcome, recording_url, biz_data::text, task_id, customer_id, attempt, agent_id, robot_id,
        disposition, disposition_note, created_at, version, agent_connect_time
        """;

    private const string Where =
        """
        tenant = $1 and ($2::timestamptz is null or created_at >= $2) and ($3::timestamptz is null or created_at < $3)
        and ($4::uuid is null or task_id = $4) and ($5::uuid is null or agent_id = $5)
        and ($6::text is null or caller = $6 or called = $6) and ($7::text is null or outcome = $7)
        """;

    public static async Task<(IReadOnlyList<CallRecord> Items, long Total)> PageAsync(
        NpgsqlDataSource dataSource, string tenant, Filter filter, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"select {Columns}, count(*) over () from call_records where {Where} order by created_at desc, call_id limit $8 offset $9");
        AddFilter(command, tenant, filter);
        command.Parameters.AddWithValue(limit);
        command.Parameters.AddWithValue(offset);
        var items = new List<CallRecord>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
            total = reader.GetInt64(28);
        }

        return (items, total);
    }

    public static async Task<CallRecord?> FindAsync(NpgsqlDataSource dataSource, string tenant, Guid callId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from call_records where tenant = $1 and call_id = $2");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(callId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Streams the tenant's records in a time range as CSV (RFC 4180), oldest first, without holding them in memory.</summary>
    public static async Task<int> WriteCsvAsync(
        NpgsqlDataSource dataSource, string tenant, DateTimeOffset? from, DateTimeOffset? to, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteAsync(string.Join(',', CsvColumns) + "\r\n");
        await using var command = dataSource.CreateCommand($"select {Columns} from call_records where {Where} order by created_at, call_id");
        AddFilter(command, tenant, new Filter(from, to, null, null, null, null));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = 0;
        var line = new StringBuilder();
        while (await reader.ReadAsync(cancellationToken))
        {
            var r = Read(reader);
            line.Clear();
            object?[] values =
            [
                r.Id, tenant, r.Direction, r.Caller, r.Called, r.Channel, r.State, r.ACallTime, r.BCallTime, r.AOffhookTime, r.BOffhookTime,
                r.ConnTime, r.CloseTime, r.Duration, r.CloseType, r.HangupBy, r.Outcome, r.RecordingUrl, r.BizData.GetRawText(), r.TaskId,
                r.CustomerId, r.Attempt, r.AgentId, r.RobotId, r.Disposition, r.DispositionNote, r.CreatedAt, r.AgentConnectTime,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }

                line.Append(Csv(values[i]));
            }

            line.Append("\r\n");
            await output.WriteAsync(line.ToString());
            rows++;
        }

        await output.FlushAsync(cancellationToken);
        return rows;
    }

    private static string Csv(object? value)
    {
        var text = value switch
        {
            null => "",
            DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }

    private static void AddFilter(NpgsqlCommand command, string tenant, Filter filter)
    {
        command.Parameters.AddWithValue(tenant);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)filter.From ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)filter.To ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)filter.TaskId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)filter.AgentId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)filter.Number ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)filter.Outcome ?? DBNull.Value });
    }

    private static CallRecord Read(NpgsqlDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        DateTimeOffset? T(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
        Guid? G(int i) => r.IsDBNull(i) ? null : r.GetGuid(i);
        using var biz = JsonDocument.Parse(r.GetString(17));
        return new CallRecord(
            r.GetGuid(0), r.GetString(1), S(2), r.GetString(3), S(4), r.GetString(5), T(6), T(7), T(8), T(9), T(10), T(11),
            r.GetInt32(12), r.IsDBNull(13) ? null : r.GetInt32(13), S(14), S(15), S(16), biz.RootElement.Clone(), G(18), G(19),
            r.GetInt32(20), G(21), G(22), S(23), S(24), r.GetFieldValue<DateTimeOffset>(25), r.GetInt64(26), T(27));
    }
}
