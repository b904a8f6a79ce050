namespace Aicc.Domain.Tenants;

/// <summary>Everything that happens to an enterprise account; one stream per tenant.</summary>
public abstract record TenantEvent
{
    private TenantEvent()
    {
    }

    /// <summary>A platform operator opened the enterprise account.</summary>
    public sealed record Created(Guid TenantId, string Name, TenantSettings Settings, Guid CreatedBy, DateTimeOffset CreatedAt)
        : TenantEvent;

    /// <summary>An admin changed the settings every task and call of the tenant inherits.</summary>
    public sealed record SettingsChanged(Guid TenantId, TenantSettings Settings, Guid ChangedBy, DateTimeOffset ChangedAt)
        : TenantEvent;

    /// <summary>The tenant may no longer place or take calls (unpaid, abuse, on request).</summary>
    public sealed record Suspended(Guid TenantId, string Reason, Guid SuspendedBy, DateTimeOffset SuspendedAt) : TenantEvent;

    /// <summary>A suspended tenant may work again.</summary>
    public sealed record Activated(Guid TenantId, Guid ActivatedBy, DateTimeOffset ActivatedAt) : TenantEvent;
}
