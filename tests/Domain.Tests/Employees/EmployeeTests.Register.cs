using Aicc.Domain.Employees;

namespace Aicc.Domain.Tests.Employees;

public partial class EmployeeTests
{
    [Fact]
    public void GivenNoEmployee_WhenAdminRegistersOne_ThenEmployeeIsRegisteredWithTheHash() =>
        Spec.When(new EmployeeCommand.Register(EmployeeId, TenantId, " li.lei ", "Li Lei", EmployeeRole.Admin, "pbkdf2$1", T0))
            .Then(RegisteredAdmin)
            .ThenState(state => Assert.Equal("pbkdf2$1", Assert.IsType<Employee.Active>(state).Profile.PasswordHash));

    [Fact]
    public void GivenNoEmployee_WhenRegisteredWithoutDisplayName_ThenLoginIsTheDisplayName() =>
        Spec.When(new EmployeeCommand.Register(EmployeeId, TenantId, "li.lei", " ", EmployeeRole.Agent, "h", T0))
            .Then(new EmployeeEvent.Registered(EmployeeId, TenantId, "li.lei", "li.lei", EmployeeRole.Agent, "h", T0));

    [Fact]
    public void GivenRegisteredEmployee_WhenRegisteredAgainWithSameLogin_ThenNothingHappens() =>
        Spec.Given(RegisteredAdmin)
            .When(new EmployeeCommand.Register(EmployeeId, TenantId, "li.lei", "Li Lei", EmployeeRole.Admin, "pbkdf2$1", T0))
            .ThenNothing();

    [Fact]
    public void GivenRegisteredEmployee_WhenRegisteredAgainWithAnotherLogin_ThenRefused() =>
        Spec.Given(RegisteredAdmin)
            .When(new EmployeeCommand.Register(EmployeeId, TenantId, "han.meimei", "Han", EmployeeRole.Admin, "h", T0))
            .ThenThrows<DomainException>("employee.already_exists");

    [Fact]
    public void GivenNoEmployee_WhenRegisteredWithoutLogin_ThenRefused() =>
        Spec.When(new EmployeeCommand.Register(EmployeeId, TenantId, "", "Li", EmployeeRole.Admin, "h", T0))
            .ThenThrows<DomainException>("employee.login_required");

    [Fact]
    public void GivenNoEmployee_WhenRegisteredWithoutPasswordHash_ThenRefused() =>
        Spec.When(new EmployeeCommand.Register(EmployeeId, TenantId, "li", "Li", EmployeeRole.Admin, "", T0))
            .ThenThrows<DomainException>("employee.password_required");

    [Fact]
    public void GivenNoEmployee_WhenRegisteredWithUnknownRole_ThenRefused() =>
        Spec.When(new EmployeeCommand.Register(EmployeeId, TenantId, "li", "Li", (EmployeeRole)42, "h", T0))
            .ThenThrows<DomainException>("employee.unknown_role");
}
