using Aicc.Domain.Common;

namespace Aicc.Domain.Tenants;

/// <summary>Decides tenant commands; pure, so the same history always gives the same answer.</summary>
public static class TenantDecider
{
    public static Tenant Initial => Tenant.Initial;

    public static Decider<TenantCommand, TenantEvent, Tenant> Definition { get; } = new(Decide, Evolve, Initial);

    public static Tenant Evolve(Tenant state, TenantEvent @event) => Tenant.Evolve(state, @event);

    public static IReadOnlyList<TenantEvent> Decide(TenantCommand command, Tenant state) => (command, state) switch
    {
        (TenantCommand.Create c, Tenant.None) => [Create(c)],
        (TenantCommand.Create c, Tenant.Active s) when s.Name == c.Name.Trim() => [],
        (TenantCommand.Create c, Tenant.Suspended s) when s.Name == c.Name.Trim() => [],
        (TenantCommand.Create, _) => throw new DomainException(
            "tenant.already_exists", "A tenant with this id already exists under another name."),
        (_, Tenant.None) => throw new DomainException("tenant.not_found", "The tenant does not exist."),

        (TenantCommand.ChangeSettings c, Tenant.Active s) => ChangeSettings(c, s.Settings),
        (TenantCommand.ChangeSettings c, Tenant.Suspended s) => ChangeSettings(c, s.Settings),

        (TenantCommand.Suspend c, Tenant.Active) => [Suspend(c)],
        (TenantCommand.Suspend, Tenant.Suspended) => [],

        (TenantCommand.Activate c, Tenant.Suspended) => [new TenantEvent.Activated(c.TenantId, c.OperatorId, c.Now)],
        (TenantCommand.Activate, Tenant.Active) => [],

        _ => throw new DomainException("tenant.unsupported", $"{command.GetType().Name} is not possible now."),
    };

    private static TenantEvent Create(TenantCommand.Create c)
    {
        if (string.IsNullOrWhiteSpace(c.Name))
        {
            throw new DomainException("tenant.name_required", "A tenant needs a name.");
        }

        Validate(c.Settings);
        return new TenantEvent.Created(c.TenantId, c.Name.Trim(), c.Settings, c.OperatorId, c.Now);
    }

    private static IReadOnlyList<TenantEvent> ChangeSettings(TenantCommand.ChangeSettings c, TenantSettings current)
    {
        Validate(c.Settings);
        return c.Settings == current ? [] : [new TenantEvent.SettingsChanged(c.TenantId, c.Settings, c.ChangedBy, c.Now)];
    }

    private static TenantEvent Suspend(TenantCommand.Suspend c)
    {
        if (string.IsNullOrWhiteSpace(c.Reason))
        {
            throw new DomainException("tenant.reason_required", "Say why the tenant is suspended.");
        }

        return new TenantEvent.Suspended(c.TenantId, c.Reason.Trim(), c.OperatorId, c.Now);
    }

    private static void Validate(TenantSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.TimeZone))
        {
            throw new DomainException("tenant.time_zone_required", "A tenant needs a time zone.");
        }
    }
}
