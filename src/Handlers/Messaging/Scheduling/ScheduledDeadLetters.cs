using Npgsql;
using NpgsqlTypes;

namespace Aicc.Handlers.Messaging.Scheduling;

/// <summary>
/// The operator's view of scheduled messages that exhausted their attempts: list them, and
/// replay one (back into the pending table with a fresh attempt count, due at once, same id
/// so that handlers' idempotency keys still match).
/// </summary>
public static class ScheduledDeadLetters
{
    public static async Task<IReadOnlyList<DeadScheduledMessage>> ListAsync(
        NpgsqlDataSource dataSource, string? tenant = null, int limit = 200, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            select id, tenant, message_type, payload::text, due_at, dedupe_key, attempts, last_error, dead_at
            from scheduled_message_dead_letters
            where $1::text is null or tenant = $1
            order by dead_at desc, id
            limit $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(limit);
        var result = new List<DeadScheduledMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new DeadScheduledMessage(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt32(6),
                reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return result;
    }

    /// <summary>
    /// Moves a dead letter back to the pending table, visible at <paramref name="now"/>.
    /// False when no dead letter has that id. Fails when a pending message with the same
    /// dedupe key was scheduled meanwhile (cancel one of the two first).
    /// </summary>
    public static async Task<bool> ReplayAsync(
        NpgsqlDataSource dataSource, Guid id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var move = new NpgsqlCommand("""
            with moved as (
                delete from scheduled_message_dead_letters where id = $1 returning *
            )
            insert into scheduled_messages
                (id, tenant, message_type, payload, due_at, dedupe_key, visible_at, attempts, last_error, created_at)
            select id, tenant, message_type, payload, due_at, dedupe_key, $2, 0, last_error, created_at from moved
            """, connection, transaction);
        move.Parameters.AddWithValue(id);
        move.Parameters.AddWithValue(now.ToUniversalTime());
        int moved;
        try
        {
            moved = await move.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException(
                $"Dead letter {id} cannot be replayed: a pending message with the same id or dedupe key exists.", ex);
        }

        if (moved == 0)
        {
            return false;
        }

        await using (var notify = new NpgsqlCommand($"select pg_notify('{MessageScheduler.Channel}', '')", connection, transaction))
        {
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
