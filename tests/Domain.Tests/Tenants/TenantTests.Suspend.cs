using Aicc.Domain.Tenants;

namespace Aicc.Domain.Tests.Tenants;

public partial class TenantTests
{
    [Fact]
    public void GivenActiveTenant_WhenOperatorSuspendsIt_ThenTenantIsSuspended() =>
        Spec.Given(Created)
            .When(new TenantCommand.Suspend(TenantId, " unpaid ", Operator, T0.AddDays(1)))
            .Then(Suspended)
            .ThenState(state => Assert.Equal("unpaid", Assert.IsType<Tenant.Suspended>(state).Reason));

    [Fact]
    public void GivenSuspendedTenant_WhenSuspendedAgain_ThenNothingHappens() =>
        Spec.Given(Created, Suspended)
            .When(new TenantCommand.Suspend(TenantId, "unpaid", Operator, T0.AddDays(2)))
            .ThenNothing();

    [Fact]
    public void GivenActiveTenant_WhenSuspendedWithoutReason_ThenRefused() =>
        Spec.Given(Created)
            .When(new TenantCommand.Suspend(TenantId, "", Operator, T0))
            .ThenThrows<DomainException>("tenant.reason_required");

    [Fact]
    public void GivenNoTenant_WhenSuspended_ThenRefusedAsNotFound() =>
        Spec.When(new TenantCommand.Suspend(TenantId, "unpaid", Operator, T0))
            .ThenThrows<DomainException>("tenant.not_found");
}
