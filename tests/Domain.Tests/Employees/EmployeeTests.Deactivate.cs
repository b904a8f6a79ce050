using Aicc.Domain.Employees;

namespace Aicc.Domain.Tests.Employees;

public partial class EmployeeTests
{
    [Fact]
    public void GivenAgent_WhenDeactivated_ThenEmployeeIsDeactivated() =>
        Spec.Given(RegisteredAgent)
            .When(new EmployeeCommand.Deactivate(EmployeeId, 1, T0.AddDays(1)))
            .Then(new EmployeeEvent.Deactivated(EmployeeId, T0.AddDays(1)))
            .ThenState(state => Assert.IsType<Employee.Deactivated>(state));

    [Fact]
    public void GivenOneOfTwoAdmins_WhenDeactivated_ThenEmployeeIsDeactivated() =>
        Spec.Given(RegisteredAdmin)
            .When(new EmployeeCommand.Deactivate(EmployeeId, 2, T0.AddDays(1)))
            .Then(new EmployeeEvent.Deactivated(EmployeeId, T0.AddDays(1)));

    [Fact]
    public void GivenTheOnlyAdmin_WhenDeactivated_ThenRefusedAsLastAdmin() =>
        Spec.Given(RegisteredAdmin)
            .When(new EmployeeCommand.Deactivate(EmployeeId, 1, T0.AddDays(1)))
            .ThenThrows<DomainException>("employee.last_admin");

    [Fact]
    public void GivenDeactivatedEmployee_WhenDeactivatedAgain_ThenNothingHappens() =>
        Spec.Given(RegisteredAgent, new EmployeeEvent.Deactivated(EmployeeId, T0.AddDays(1)))
            .When(new EmployeeCommand.Deactivate(EmployeeId, 1, T0.AddDays(2)))
            .ThenNothing();

    [Fact]
    public void GivenDeactivatedEmployee_WhenRegisteredAgain_ThenRefused() =>
        Spec.Given(RegisteredAgent, new EmployeeEvent.Deactivated(EmployeeId, T0.AddDays(1)))
            .When(new EmployeeCommand.Register(EmployeeId, TenantId, "li.lei", "Li Lei", EmployeeRole.Agent, "h", T0.AddDays(2)))
            .ThenThrows<DomainException>("employee.already_exists");

    [Fact]
    public void GivenNoEmployee_WhenDeactivated_ThenRefusedAsNotFound() =>
        Spec.When(new EmployeeCommand.Deactivate(EmployeeId, 2, T0))
            .ThenThrows<DomainException>("employee.not_found");
}
