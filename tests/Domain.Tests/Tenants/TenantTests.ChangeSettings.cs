using Aicc.Domain.Tenants;

namespace Aicc.Domain.Tests.Tenants;

public partial class TenantTests
{
    [Fact]
    public void GivenActiveTenant_WhenSettingsChange_ThenSettingsChanged() =>
        Spec.Given(Created)
            .When(new TenantCommand.ChangeSettings(TenantId, Berlin, Operator, T0.AddHours(1)))
            .Then(new TenantEvent.SettingsChanged(TenantId, Berlin, Operator, T0.AddHours(1)))
            .ThenState(state => Assert.Equal(Berlin, Assert.IsType<Tenant.Active>(state).Settings));

    [Fact]
    public void GivenSuspendedTenant_WhenSettingsChange_ThenSettingsChangedAndTenantStaysSuspended() =>
        Spec.Given(Created, Suspended)
            .When(new TenantCommand.ChangeSettings(TenantId, Berlin, Operator, T0.AddHours(1)))
            .Then(new TenantEvent.SettingsChanged(TenantId, Berlin, Operator, T0.AddHours(1)))
            .ThenState(state => Assert.Equal(Berlin, Assert.IsType<Tenant.Suspended>(state).Settings));

    [Fact]
    public void GivenActiveTenant_WhenSameSettingsAreSentAgain_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new TenantCommand.ChangeSettings(TenantId, TenantSettings.Default, Operator, T0.AddHours(1)))
            .ThenNothing();

    [Fact]
    public void GivenActiveTenant_WhenTimeZoneIsBlank_ThenRefused() =>
        Spec.Given(Created)
            .When(new TenantCommand.ChangeSettings(TenantId, Berlin with { TimeZone = " " }, Operator, T0))
            .ThenThrows<DomainException>("tenant.time_zone_required");

    [Fact]
    public void GivenNoTenant_WhenSettingsChange_ThenRefusedAsNotFound() =>
        Spec.When(new TenantCommand.ChangeSettings(TenantId, Berlin, Operator, T0))
            .ThenThrows<DomainException>("tenant.not_found");
}
