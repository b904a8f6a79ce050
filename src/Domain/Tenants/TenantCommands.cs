namespace Aicc.Domain.Tenants;

/// <summary>What operators and tenant admins ask of an enterprise account.</summary>
public abstract record TenantCommand
{
    private TenantCommand()
    {
    }

    /// <summary>Only a platform operator creates tenants; the handler checks the role, the command names who.</summary>
    public sealed record Create(Guid TenantId, string Name, TenantSettings Settings, Guid OperatorId, DateTimeOffset Now)
        : TenantCommand;

    /// <summary>An admin changes time zone, default caller ID or recording.</summary>
    public sealed record ChangeSettings(Guid TenantId, TenantSettings Settings, Guid ChangedBy, DateTimeOffset Now)
        : TenantCommand;

    /// <summary>A platform operator stops the tenant (unpaid, abuse, on request).</summary>
    public sealed record Suspend(Guid TenantId, string Reason, Guid OperatorId, DateTimeOffset Now) : TenantCommand;

    /// <summary>A platform operator lets a suspended tenant work again.</summary>
    public sealed record Activate(Guid TenantId, Guid OperatorId, DateTimeOffset Now) : TenantCommand;
}
