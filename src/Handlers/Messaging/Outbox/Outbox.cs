using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Aicc.Handlers.Messaging.Outbox;

/// <summary>
/// Writes outbox messages in the caller's transaction: the message exists exactly when the
/// append (or other change) that produced it committed. The relay delivers it afterwards.
/// </summary>
public static class Outbox
{
    /// <summary>The NOTIFY channel relays listen on.</summary>
    public const string Channel = "aicc_outbox";

    public static async Task<Guid> EnqueueAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        OutboxEnvelope envelope,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(envelope.Tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(envelope.Destination);
        ArgumentNullException.ThrowIfNull(envelope.Payload);
        var id = Guid.CreateVersion7();
        // visible_at = now(): the transaction's start time, so the message is due as soon as
        // it is visible. The NOTIFY goes out at commit and never after a rollback.
        await using var command = new NpgsqlCommand("""
            with inserted as (
                insert into outbox_messages (id, tenant, destination, ordering_key, payload, headers, visible_at)
                values ($1, $2, $3, $4, $5, $6::jsonb, now())
                returning id
            )
            select pg_notify('aicc_outbox', '') from inserted
            """, connection, transaction);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(envelope.Tenant);
        command.Parameters.AddWithValue(envelope.Destination);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)envelope.OrderingKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(envelope.Payload);
        command.Parameters.AddWithValue(JsonSerializer.Serialize(envelope.Headers ?? new Dictionary<string, string>()));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    public static async Task<Guid> EnqueueAsync(NpgsqlDataSource dataSource, OutboxEnvelope envelope, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await EnqueueAsync(connection, null, envelope, cancellationToken);
    }
}
