using Aicc.Domain.PhoneNumbers;

namespace Aicc.Domain.Tenants;

/// <summary>
/// An enterprise (seed 000's 企业): the unit of isolation (R7). Every other stream names its tenant,
/// and a suspended tenant is how the platform stops one customer without touching the others.
/// </summary>
public abstract record Tenant
{
    private Tenant()
    {
    }

    public sealed record None : Tenant;

    public sealed record Active(Guid TenantId, string Name, TenantSettings Settings) : Tenant;

    public sealed record Suspended(Guid TenantId, string Name, TenantSettings Settings, string Reason) : Tenant;

    public static Tenant Initial { get; } = new None();

    public static Tenant Evolve(Tenant state, TenantEvent @event) => (state, @event) switch
    {
        (None, TenantEvent.Created e) => new Active(e.TenantId, e.Name, e.Settings),
        (Active s, TenantEvent.SettingsChanged e) => s with { Settings = e.Settings },
        (Suspended s, TenantEvent.SettingsChanged e) => s with { Settings = e.Settings },
        (Active s, TenantEvent.Suspended e) => new Suspended(s.TenantId, s.Name, s.Settings, e.Reason),
        (Suspended s, TenantEvent.Activated) => new Active(s.TenantId, s.Name, s.Settings),
        _ => state,
    };
}

/// <summary>
/// Defaults every task and call of the tenant inherits. The time zone is an IANA id
/// (<c>Asia/Shanghai</c>); whether the id exists is checked where the time-zone database is.
/// </summary>
public sealed record TenantSettings(string TimeZone, PhoneNumber? DefaultCallerId, bool RecordCalls)
{
    public static TenantSettings Default { get; } = new("Asia/Shanghai", null, true);
}
