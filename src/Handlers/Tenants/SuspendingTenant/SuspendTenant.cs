using Aicc.Domain.Tenants;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Tenants.CreatingTenant;

namespace Aicc.Handlers.Tenants.SuspendingTenant;

/// <summary>
/// The platform operator stops a tenant (unpaid, abuse, on request) or lets it work again. Only
/// the operator's CLI calls this: a tenant's own credentials can never lift a suspension. The
/// access projection applies the change to every credential in the same transaction.
/// </summary>
public static class SuspendTenant
{
    public static async Task<TenantView> SuspendAsync(PostgresEventStore store, Guid tenantId, string reason, TimeProvider clock, CancellationToken cancellationToken) =>
        await RunAsync(store, tenantId, new TenantCommand.Suspend(tenantId, reason, CreateTenant.PlatformOperator, clock.GetUtcNow()), cancellationToken);

    public static async Task<TenantView> ActivateAsync(PostgresEventStore store, Guid tenantId, TimeProvider clock, CancellationToken cancellationToken) =>
        await RunAsync(store, tenantId, new TenantCommand.Activate(tenantId, CreateTenant.PlatformOperator, clock.GetUtcNow()), cancellationToken);

    private static async Task<TenantView> RunAsync(PostgresEventStore store, Guid tenantId, TenantCommand command, CancellationToken cancellationToken)
    {
        var result = await CommandRunner.RunAsync(
            store, Deciders.Tenant, Deciders.TenantKey(tenantId), Deciders.Tenant.StreamId(tenantId), command,
            metadata: new EventMetadata(User: CreateTenant.PlatformOperator.ToString()),
            cancellationToken: cancellationToken);
        return TenantView.From(result.State, result.Version)!;
    }
}
