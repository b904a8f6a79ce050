using Aicc.Domain.Employees;

namespace Aicc.Domain.Tests.Employees;

public partial class EmployeeTests
{
    [Fact]
    public void GivenEmployee_WhenPasswordChanges_ThenNewHashIsStored() =>
        Spec.Given(RegisteredAgent)
            .When(new EmployeeCommand.ChangePassword(EmployeeId, "pbkdf2$2", T0.AddDays(1)))
            .Then(new EmployeeEvent.PasswordChanged(EmployeeId, "pbkdf2$2", T0.AddDays(1)))
            .ThenState(state => Assert.Equal("pbkdf2$2", Assert.IsType<Employee.Active>(state).Profile.PasswordHash));

    [Fact]
    public void GivenEmployee_WhenSamePasswordHashIsSentAgain_ThenNothingHappens() =>
        Spec.Given(RegisteredAgent)
            .When(new EmployeeCommand.ChangePassword(EmployeeId, "pbkdf2$1", T0.AddDays(1)))
            .ThenNothing();

    [Fact]
    public void GivenEmployee_WhenPasswordHashIsEmpty_ThenRefused() =>
        Spec.Given(RegisteredAgent)
            .When(new EmployeeCommand.ChangePassword(EmployeeId, " ", T0.AddDays(1)))
            .ThenThrows<DomainException>("employee.password_required");

    [Fact]
    public void GivenDeactivatedEmployee_WhenPasswordChanges_ThenRefused() =>
        Spec.Given(RegisteredAgent, new EmployeeEvent.Deactivated(EmployeeId, T0.AddDays(1)))
            .When(new EmployeeCommand.ChangePassword(EmployeeId, "pbkdf2$2", T0.AddDays(2)))
            .ThenThrows<DomainException>("employee.deactivated");
}
