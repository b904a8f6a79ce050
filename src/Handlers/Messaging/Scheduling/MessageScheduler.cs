using Npgsql;
using NpgsqlTypes;

namespace Aicc.Handlers.Messaging.Scheduling;

/// <summary>
/// Schedules and cancels durable messages. Every call takes the caller's connection and
/// transaction so that a schedule commits or rolls back with the events that caused it (the
/// append of "call ringing" and its ring timeout are one atomic fact); the data-source
/// overloads are for callers that have no transaction of their own.
/// </summary>
public static class MessageScheduler
{
    /// <summary>The NOTIFY channel workers listen on.</summary>
    public const string Channel = "aicc_scheduled_messages";

    // The notify is sent only when the new message is due before every pending message of
    // its type: a worker that handles the type looks at the table again no later than that
    // type's earliest message, so a later one needs no wake-up. Messages that become visible
    // within the next second do not count: a worker may take one of those, finish it and look
    // again before this transaction commits, and then it would sleep past the new message
    // (seen as multi-second lateness under load before this margin existed). NOTIFY is
    // transactional: a rolled-back schedule wakes nobody.
    private const string InsertSql = """
        with earliest as (
            select min(visible_at) as at from scheduled_messages
            where message_type = $3 and visible_at > clock_timestamp() + interval '1 second'
        ), inserted as (
            insert into scheduled_messages (id, tenant, message_type, payload, due_at, dedupe_key, visible_at)
            values ($1, $2, $3, $4::jsonb, $5, $6, $5)
            on conflict (tenant, dedupe_key) where dedupe_key is not null do nothing
            returning id, visible_at
        ), notified as (
            select pg_notify('aicc_scheduled_messages', '') from inserted i, earliest e
            where e.at is null or i.visible_at < e.at
        )
        select i.id, (select count(*) from notified) from inserted i
        """;

    public static async Task<ScheduleResult> ScheduleAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        ScheduledMessageRequest request,
        CancellationToken cancellationToken = default)
    {
        Validate(request);
        // A concurrent completion may delete the conflicting row between our insert and our
        // look-up; then the insert is simply tried again.
        for (var round = 0; round < 5; round++)
        {
            await using (var insert = new NpgsqlCommand(InsertSql, connection, transaction))
            {
                insert.Parameters.AddWithValue(Guid.CreateVersion7());
                insert.Parameters.AddWithValue(request.Tenant);
                insert.Parameters.AddWithValue(request.MessageType);
                insert.Parameters.AddWithValue(request.PayloadJson);
                insert.Parameters.AddWithValue(request.DueAt.ToUniversalTime());
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)request.DedupeKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    return new ScheduleResult(reader.GetGuid(0), Created: true);
                }
            }

            await using var existing = new NpgsqlCommand(
                "select id from scheduled_messages where tenant = $1 and dedupe_key = $2", connection, transaction);
            existing.Parameters.AddWithValue(request.Tenant);
            existing.Parameters.AddWithValue(request.DedupeKey!);
            if (await existing.ExecuteScalarAsync(cancellationToken) is Guid id)
            {
                return new ScheduleResult(id, Created: false);
            }
        }

        throw new InvalidOperationException(
            $"Could not schedule {request.MessageType} with dedupe key {request.DedupeKey}: the pending message kept changing.");
    }

    public static async Task<ScheduleResult> ScheduleAsync(
        NpgsqlDataSource dataSource, ScheduledMessageRequest request, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ScheduleAsync(connection, null, request, cancellationToken);
    }

    /// <summary>
    /// Cancels a pending message. False when it no longer exists: it ran already (a handler
    /// that is running holds the row lock, so this waits for it and then finds nothing) or was
    /// cancelled before.
    /// </summary>
    public static async Task<bool> CancelAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("delete from scheduled_messages where id = $1", connection, transaction);
        command.Parameters.AddWithValue(id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Cancels the tenant's pending message with this dedupe key (see <see cref="CancelAsync(NpgsqlConnection, NpgsqlTransaction?, Guid, CancellationToken)"/>).</summary>
    public static async Task<bool> CancelAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string tenant,
        string dedupeKey,
        CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(
            "delete from scheduled_messages where tenant = $1 and dedupe_key = $2", connection, transaction);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(dedupeKey);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public static async Task<bool> CancelAsync(NpgsqlDataSource dataSource, Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CancelAsync(connection, null, id, cancellationToken);
    }

    public static async Task<bool> CancelAsync(
        NpgsqlDataSource dataSource, string tenant, string dedupeKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CancelAsync(connection, null, tenant, dedupeKey, cancellationToken);
    }

    /// <summary>Pending messages (optionally only those due by <paramref name="dueBy"/>), earliest first.</summary>
    public static async Task<IReadOnlyList<PendingMessage>> ListPendingAsync(
        NpgsqlDataSource dataSource,
        DateTimeOffset? dueBy = null,
        string? tenant = null,
        int limit = 200,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            select id, tenant, message_type, due_at, visible_at, dedupe_key, attempts, claimed_by, last_error
            from scheduled_messages
            where ($1::timestamptz is null or visible_at <= $1)
              and ($2::text is null or tenant = $2)
            order by visible_at, id
            limit $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)dueBy?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(limit);
        var result = new List<PendingMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new PendingMessage(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return result;
    }

    private static void Validate(ScheduledMessageRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.MessageType);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.PayloadJson);
        if (request.DedupeKey is { Length: 0 })
        {
            throw new ArgumentException("A dedupe key, when given, must not be empty.", nameof(request));
        }
    }
}
