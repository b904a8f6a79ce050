using Aicc.Domain.Tenants;

namespace Aicc.Domain.Tests.Tenants;

public partial class TenantTests
{
    [Fact]
    public void GivenSuspendedTenant_WhenOperatorActivatesIt_ThenTenantIsActiveAgain() =>
        Spec.Given(Created, Suspended)
            .When(new TenantCommand.Activate(TenantId, Operator, T0.AddDays(2)))
            .Then(new TenantEvent.Activated(TenantId, Operator, T0.AddDays(2)))
            .ThenState(state => Assert.IsType<Tenant.Active>(state));

    [Fact]
    public void GivenActiveTenant_WhenActivated_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new TenantCommand.Activate(TenantId, Operator, T0.AddDays(2)))
            .ThenNothing();

    [Fact]
    public void GivenNoTenant_WhenActivated_ThenRefusedAsNotFound() =>
        Spec.When(new TenantCommand.Activate(TenantId, Operator, T0))
            .ThenThrows<DomainException>("tenant.not_found");
}
