using Npgsql;
using NpgsqlTypes;

namespace Aicc.Handlers.Messaging.Outbox;

/// <summary>Operator views and upkeep of the outbox: status per destination, dead letters, replay, purge.</summary>
public static class OutboxQueries
{
    public static async Task<IReadOnlyList<OutboxDestinationStatus>> StatusAsync(
        NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            with live as (
                select destination,
                       count(*) filter (where delivered_at is null and claim_token is null) as pending,
                       count(*) filter (where delivered_at is null and claim_token is not null) as in_flight,
                       count(*) filter (where delivered_at is not null) as delivered,
                       min(created_at) filter (where delivered_at is null) as oldest_pending,
                       (array_agg(last_error order by position desc) filter (where delivered_at is null and last_error is not null))[1] as last_error
                from outbox_messages
                group by destination
            ), dead as (
                select destination, count(*) as dead from outbox_dead_letters group by destination
            )
            select coalesce(l.destination, d.destination),
                   coalesce(l.pending, 0), coalesce(l.in_flight, 0), coalesce(l.delivered, 0), coalesce(d.dead, 0),
                   l.oldest_pending, l.last_error
            from live l full join dead d on d.destination = l.destination
            order by 1
            """);
        var result = new List<OutboxDestinationStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new OutboxDestinationStatus(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetInt64(3),
                reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return result;
    }

    public static async Task<IReadOnlyList<DeadOutboxMessage>> ListDeadAsync(
        NpgsqlDataSource dataSource, string? tenant = null, int limit = 200, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            select id, tenant, destination, ordering_key, attempts, last_error, dead_at
            from outbox_dead_letters
            where $1::text is null or tenant = $1
            order by dead_at desc, id
            limit $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(limit);
        var result = new List<DeadOutboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new DeadOutboxMessage(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt32(4),
                reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return result;
    }

    /// <summary>
    /// Puts a dead letter back in the outbox with a fresh attempt count and the same id. It gets
    /// a new position: messages with its ordering key that were written after it may already
    /// have been delivered, since a dead letter stops holding up its key.
    /// </summary>
    public static async Task<bool> ReplayDeadAsync(
        NpgsqlDataSource dataSource, Guid id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var move = new NpgsqlCommand("""
            with moved as (
                delete from outbox_dead_letters where id = $1 returning *
            )
            insert into outbox_messages
                (id, tenant, destination, ordering_key, payload, headers, visible_at, attempts, last_error, created_at)
            select id, tenant, destination, ordering_key, payload, headers, $2, 0, last_error, created_at from moved
            """, connection, transaction);
        move.Parameters.AddWithValue(id);
        move.Parameters.AddWithValue(now.ToUniversalTime());
        if (await move.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        await using (var notify = new NpgsqlCommand($"select pg_notify('{Outbox.Channel}', '')", connection, transaction))
        {
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes messages delivered before <paramref name="deliveredBefore"/>; returns how many.</summary>
    public static async Task<int> PurgeDeliveredAsync(
        NpgsqlDataSource dataSource, DateTimeOffset deliveredBefore, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "delete from outbox_messages where delivered_at is not null and delivered_at < $1");
        command.Parameters.AddWithValue(deliveredBefore.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
