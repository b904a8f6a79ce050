using Aicc.Domain.Tenants;

namespace Aicc.Handlers.Tenants;

/// <summary>
/// The caller's tenant as the API shows it: state (active or suspended), the settings every task
/// and call inherits, and the stream version (the ETag for If-Match on settings changes).
/// </summary>
public sealed record TenantView(Guid Id, string Name, string State, string? SuspendedReason, TenantSettingsView Settings, long Version)
{
    public static TenantView? From(Tenant tenant, long version) => tenant switch
    {
        Tenant.Active a => new(a.TenantId, a.Name, "active", null, TenantSettingsView.From(a.Settings), version),
        Tenant.Suspended s => new(s.TenantId, s.Name, "suspended", s.Reason, TenantSettingsView.From(s.Settings), version),
        _ => null,
    };
}

/// <summary>Time zone (IANA id), default caller ID (E.164, or null) and whether calls are recorded.</summary>
public sealed record TenantSettingsView(string TimeZone, string? DefaultCallerId, bool RecordCalls)
{
    public static TenantSettingsView From(TenantSettings settings) =>
        new(settings.TimeZone, settings.DefaultCallerId?.E164, settings.RecordCalls);
}
