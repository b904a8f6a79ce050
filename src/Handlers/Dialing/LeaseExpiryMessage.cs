using System.Text.Json;
using Aicc.Domain.Numbers;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Messaging.Scheduling;
using Npgsql;

namespace Aicc.Handlers.Dialing;

/// <summary>
/// Records the end of a caller-number lease nobody renewed. The lease already stops holding its
/// number at its expiry by time alone (<see cref="NumberLeaseBook.HeldAt"/>): this message, due at
/// the expiry and moved by every renewal, writes the <see cref="NumberLeaseEvent.LeaseExpired"/>
/// the pool's history shows, so a closed browser window leaves a trace and no held number.
/// </summary>
public static class LeaseExpiryMessage
{
    public const string Type = "numbers.lease_expiry.v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Schedules (or moves, after a renewal) the lease's expiry in the caller's transaction.</summary>
    public static async Task ScheduleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, Guid poolId, Guid leaseId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var tenant = Deciders.TenantKey(tenantId);
        var key = $"lease-expiry:{leaseId}";
        await MessageScheduler.CancelAsync(connection, transaction, tenant, key, cancellationToken);
        await MessageScheduler.ScheduleAsync(connection, transaction,
            new ScheduledMessageRequest(tenant, Type, JsonSerializer.Serialize(new Payload(tenantId, poolId), Json), expiresAt, key), cancellationToken);
    }

    /// <summary>Adds the handler for <see cref="Type"/>: every lease of the pool past its expiry is recorded as expired.</summary>
    public static ScheduledMessageHandlers AddLeaseExpiry(this ScheduledMessageHandlers handlers, PostgresEventStore store) =>
        handlers.Add(Type, async (context, cancellationToken) =>
        {
            var payload = JsonSerializer.Deserialize<Payload>(context.Message.PayloadJson, Json)
                ?? throw new InvalidOperationException("A lease expiry message without payload.");
            await CommandRunner.RunAsync(store.OpenSession(context.Connection, context.Transaction), store, Deciders.NumberLeases,
                Deciders.TenantKey(payload.TenantId), Deciders.NumberLeases.StreamId(payload.PoolId),
                new NumberLeaseCommand.ExpireLeases(payload.PoolId.ToString(), context.Now), cancellationToken: cancellationToken);
        });

    private sealed record Payload(Guid TenantId, Guid PoolId);
}
