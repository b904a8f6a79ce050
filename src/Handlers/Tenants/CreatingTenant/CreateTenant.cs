using Aicc.Domain.Employees;
using Aicc.Domain.Tenants;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Security;

namespace Aicc.Handlers.Tenants.CreatingTenant;

/// <summary>
/// A platform operator creates a tenant (enterprise). A tenant must always have an admin, so
/// the tenant, its first admin and that admin's first API key are appended in one transaction:
/// either all exist or none.
/// </summary>
public static class CreateTenant
{
    /// <summary>The operator id recorded for what the platform itself does (CLI, demo seed).</summary>
    public static readonly Guid PlatformOperator = Guid.Empty;

    /// <summary>What the operator is shown once: the secrets are stored only as hashes.</summary>
    public sealed record Created(Guid TenantId, Guid AdminId, string AdminLogin, string AdminPassword, string ApiKey);

    public static async Task<Created> HandleAsync(
        PostgresEventStore store,
        string name,
        string adminLogin,
        string? adminPassword,
        TimeProvider clock,
        CancellationToken cancellationToken,
        Guid? tenantId = null)
    {
        var now = clock.GetUtcNow();
        var tenant = tenantId ?? Guid.CreateVersion7();
        var admin = Guid.CreateVersion7();
        var password = string.IsNullOrEmpty(adminPassword) ? Secrets.NewPassword() : adminPassword;
        var (apiKey, apiKeyHash) = Secrets.NewApiKey();
        var tenantKey = Deciders.TenantKey(tenant);
        var metadata = new EventMetadata(CorrelationId: tenant.ToString(), User: PlatformOperator.ToString());

        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var session = store.OpenSession(connection, transaction);
        await CommandRunner.RunAsync(session, store, Deciders.Tenant, tenantKey, Deciders.Tenant.StreamId(tenant),
            new TenantCommand.Create(tenant, name, TenantSettings.Default, PlatformOperator, now), metadata, cancellationToken);
        var employeeStream = Deciders.Employee.StreamId(admin);
        await CommandRunner.RunAsync(session, store, Deciders.Employee, tenantKey, employeeStream,
            new EmployeeCommand.Register(admin, tenant, adminLogin, "Administrator", EmployeeRole.Admin, Secrets.HashPassword(password), now),
            metadata, cancellationToken);
        await CommandRunner.RunAsync(session, store, Deciders.Employee, tenantKey, employeeStream,
            new EmployeeCommand.IssueApiKey(admin, Guid.CreateVersion7(), "created with the tenant", apiKeyHash, now),
            metadata, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Created(tenant, admin, adminLogin, password, apiKey);
    }
}
