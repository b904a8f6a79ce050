using System.Text.Json;
using Aicc.Domain.Calls;
using Aicc.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace Aicc.Projections.Calls;

/// <summary>
/// The call transcript read model, updated in the append's transaction: when the robot hands a
/// call over, the agent's pop-up asks for the transcript at once, so it must never lag behind
/// the transfer request. Each turn event becomes one line keyed by its stream version (a
/// replayed append writes the same line again); variables are merged as the robot sets them.
/// </summary>
public sealed class CallTranscriptProjection : IInlineProjection
{
    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var recorded in events)
        {
            if (recorded.Data is not CallEvent e)
            {
                continue;
            }

            var (robotId, skillGroup, reason, variables) = HeaderOf(e);
            if (robotId is not null || skillGroup is not null || variables is not null || e is CallEvent.TransferFailed)
            {
                await UpsertHeaderAsync(connection, transaction, recorded, robotId, skillGroup, reason, variables, e is CallEvent.TransferFailed, cancellationToken);
            }

            if (LineOf(e) is { } line)
            {
                await InsertLineAsync(connection, transaction, recorded, line, cancellationToken);
            }
        }
    }

    /// <summary>One transcript line as stored.</summary>
    public sealed record Line(
        DateTimeOffset At,
        string Speaker,
        string Kind,
        string? NodeId,
        string? Text,
        string? Intent,
        double? Confidence,
        DateTimeOffset? SpeechStartedAt = null,
        DateTimeOffset? SpeechEndedAt = null);

    /// <summary>The line an event adds to the transcript, if any (pure, so tests and rebuilds agree).</summary>
    public static Line? LineOf(CallEvent e) => e switch
    {
        CallEvent.PromptPlayed p => new Line(p.PlayedAt, "robot", "prompt", p.NodeId, p.Text, null, null),
        CallEvent.PromptInterrupted p => new Line(p.InterruptedAt, "caller", "barge_in", p.NodeId, null, null, null),
        CallEvent.UtteranceRecognised u => new Line(u.RecognisedAt, "caller", "utterance", u.NodeId, u.Text, null, u.Confidence, u.SpeechStartedAt, u.SpeechEndedAt),
        CallEvent.IntentDetected i => new Line(i.DetectedAt, "robot", "intent", i.NodeId, null, i.Intent, i.Confidence),
        CallEvent.DtmfReceived d => new Line(d.ReceivedAt, "caller", "dtmf", null, d.Digits, null, null),
        CallEvent.VariableSet v => new Line(v.SetAt, "robot", "variable", null, $"{v.Name}={v.Value}", null, null),
        CallEvent.TransferRequested t => new Line(t.RequestedAt, "robot", "transfer_requested", null, $"{t.SkillGroup}: {t.Reason}", null, null),
        CallEvent.TransferFailed t => new Line(t.FailedAt, "platform", "transfer_failed", null, t.Reason, null, null),
        CallEvent.ConnectedToAgent c => new Line(c.ConnectedAt, "platform", "agent_connected", null, c.AgentId.ToString(), null, null),
        CallEvent.CallbackScheduled c => new Line(c.ScheduledAt, "robot", "callback_scheduled", null, $"{c.Number} at {c.DueAt:O}", null, null),
        CallEvent.HungUp h => new Line(h.HungUpAt, "platform", "hung_up", null, $"{h.By} {h.Reason}", null, null),
        _ => null,
    };

    private static (Guid? RobotId, string? SkillGroup, string? Reason, IReadOnlyDictionary<string, string>? Variables) HeaderOf(CallEvent e) => e switch
    {
        CallEvent.OutboundCreated o => (null, null, null, o.BusinessData),
        CallEvent.InboundArrived => (null, null, null, new Dictionary<string, string>()),
        CallEvent.ConnectedToRobot r => (r.RobotId, null, null, null),
        CallEvent.VariableSet v => (null, null, null, new Dictionary<string, string> { [v.Name] = v.Value }),
        CallEvent.TransferRequested t => (null, t.SkillGroup, t.Reason, t.Context),
        _ => (null, null, null, null),
    };

    private static async Task UpsertHeaderAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RecordedEvent recorded, Guid? robotId, string? skillGroup, string? reason,
        IReadOnlyDictionary<string, string>? variables, bool transferFailed, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            insert into call_transcripts (tenant, call_id, robot_id, skill_group, transfer_reason, variables, version)
            values ($1, $2, $3, $4, $5, coalesce($6::jsonb, '{}'::jsonb), $7)
            on conflict (tenant, call_id) do update set
                robot_id = coalesce(excluded.robot_id, call_transcripts.robot_id),
                skill_group = case when $8 then null else coalesce(excluded.skill_group, call_transcripts.skill_group) end,
                transfer_reason = case when $8 then null else coalesce(excluded.transfer_reason, call_transcripts.transfer_reason) end,
                variables = call_transcripts.variables || coalesce($6::jsonb, '{}'::jsonb),
                version = greatest(call_transcripts.version, excluded.version)
            """, connection, transaction);
        var p = command.Parameters;
        p.AddWithValue(recorded.Tenant);
        p.AddWithValue(Guid.Parse(recorded.StreamId["call-".Length..]));
        p.Add(new NpgsqlParameter { Value = (object?)robotId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter { Value = (object?)skillGroup ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter
        {
            Value = variables is null ? DBNull.Value : JsonSerializer.Serialize(variables.ToDictionary(kv => kv.Key, kv => kv.Value)),
            NpgsqlDbType = NpgsqlDbType.Text,
        });
        p.AddWithValue(recorded.Version);
        p.AddWithValue(transferFailed);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task InsertLineAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RecordedEvent recorded, Line line, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            insert into call_transcript_lines (tenant, call_id, version, at, speaker, kind, node_id, text, intent, confidence, speech_started_at, speech_ended_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            on conflict (tenant, call_id, version) do nothing
            """, connection, transaction);
        var p = command.Parameters;
        p.AddWithValue(recorded.Tenant);
        p.AddWithValue(Guid.Parse(recorded.StreamId["call-".Length..]));
        p.AddWithValue(recorded.Version);
        p.AddWithValue(line.At);
        p.AddWithValue(line.Speaker);
        p.AddWithValue(line.Kind);
        p.Add(new NpgsqlParameter { Value = (object?)line.NodeId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)line.Text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)line.Intent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)line.Confidence ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        p.Add(new NpgsqlParameter { Value = (object?)line.SpeechStartedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = (object?)line.SpeechEndedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Reads a call's transcript for the agent (tenant-scoped).</summary>
public static class CallTranscripts
{
    /// <summary>The transcript as the API returns it.</summary>
    public sealed record Transcript(
        Guid CallId,
        Guid? RobotId,
        string? SkillGroup,
        string? TransferReason,
        IReadOnlyDictionary<string, string> Variables,
        IReadOnlyList<CallTranscriptProjection.Line> Lines);

    /// <summary>Null when the tenant has no such call with a transcript.</summary>
    public static async Task<Transcript?> FindAsync(NpgsqlDataSource dataSource, string tenant, Guid callId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var header = new NpgsqlCommand(
            "select robot_id, skill_group, transfer_reason, variables::text from call_transcripts where tenant = $1 and call_id = $2",
            connection);
        header.Parameters.AddWithValue(tenant);
        header.Parameters.AddWithValue(callId);
        Guid? robotId;
        string? skillGroup;
        string? reason;
        Dictionary<string, string> variables;
        await using (var reader = await header.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            robotId = reader.IsDBNull(0) ? null : reader.GetGuid(0);
            skillGroup = reader.IsDBNull(1) ? null : reader.GetString(1);
            reason = reader.IsDBNull(2) ? null : reader.GetString(2);
            variables = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3)) ?? [];
        }

        await using var lines = new NpgsqlCommand(
            """
            select at, speaker, kind, node_id, text, intent, confidence, speech_started_at, speech_ended_at
            from call_transcript_lines where tenant = $1 and call_id = $2 order by version
            """, connection);
        lines.Parameters.AddWithValue(tenant);
        lines.Parameters.AddWithValue(callId);
        var result = new List<CallTranscriptProjection.Line>();
        await using (var reader = await lines.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(new CallTranscriptProjection.Line(
                    reader.GetFieldValue<DateTimeOffset>(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetDouble(6),
                    reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                    reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
            }
        }

        return new Transcript(callId, robotId, skillGroup, reason, variables, result);
    }
}
