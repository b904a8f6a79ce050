using Aicc.Domain.Employees;

namespace Aicc.Domain.Tests.Employees;

public partial class EmployeeTests
{
    [Fact]
    public void GivenAgent_WhenPromotedToSupervisor_ThenRoleChanged() =>
        Spec.Given(RegisteredAgent)
            .When(new EmployeeCommand.ChangeRole(EmployeeId, EmployeeRole.Supervisor, 1, T0.AddDays(1)))
            .Then(new EmployeeEvent.RoleChanged(EmployeeId, EmployeeRole.Supervisor, T0.AddDays(1)))
            .ThenState(state => Assert.Equal(EmployeeRole.Supervisor, Assert.IsType<Employee.Active>(state).Profile.Role));

    [Fact]
    public void GivenOneOfTwoAdmins_WhenDemoted_ThenRoleChanged() =>
        Spec.Given(RegisteredAdmin)
            .When(new EmployeeCommand.ChangeRole(EmployeeId, EmployeeRole.Operator, 2, T0.AddDays(1)))
            .Then(new EmployeeEvent.RoleChanged(EmployeeId, EmployeeRole.Operator, T0.AddDays(1)));

    [Fact]
    public void GivenTheOnlyAdmin_WhenDemoted_ThenRefusedAsLastAdmin() =>
        Spec.Given(RegisteredAdmin)
            .When(new EmployeeCommand.ChangeRole(EmployeeId, EmployeeRole.Agent, 1, T0.AddDays(1)))
            .ThenThrows<DomainException>("employee.last_admin");

    [Fact]
    public void GivenTheOnlyAdmin_WhenGivenTheAdminRoleAgain_ThenNothingHappens() =>
        Spec.Given(RegisteredAdmin)
            .When(new EmployeeCommand.ChangeRole(EmployeeId, EmployeeRole.Admin, 1, T0.AddDays(1)))
            .ThenNothing();

    [Fact]
    public void GivenEmployee_WhenGivenAnUnknownRole_ThenRefused() =>
        Spec.Given(RegisteredAgent)
            .When(new EmployeeCommand.ChangeRole(EmployeeId, (EmployeeRole)0, 1, T0))
            .ThenThrows<DomainException>("employee.unknown_role");

    [Fact]
    public void GivenNoEmployee_WhenRoleChanges_ThenRefusedAsNotFound() =>
        Spec.When(new EmployeeCommand.ChangeRole(EmployeeId, EmployeeRole.Agent, 3, T0))
            .ThenThrows<DomainException>("employee.not_found");

    [Fact]
    public void GivenDeactivatedEmployee_WhenRoleChanges_ThenRefusedAsDeactivated() =>
        Spec.Given(RegisteredAgent, new EmployeeEvent.Deactivated(EmployeeId, T0.AddDays(1)))
            .When(new EmployeeCommand.ChangeRole(EmployeeId, EmployeeRole.Supervisor, 3, T0.AddDays(2)))
            .ThenThrows<DomainException>("employee.deactivated");
}
