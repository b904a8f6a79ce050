using Aicc.Domain.Employees;

namespace Aicc.Domain.Tests.Employees;

public partial class EmployeeTests
{
    [Fact]
    public void GivenIssuedKey_WhenRevoked_ThenKeyIsNoLongerActive() =>
        Spec.Given(RegisteredAdmin, KeyIssued)
            .When(new EmployeeCommand.RevokeApiKey(EmployeeId, KeyId, T0.AddDays(1)))
            .Then(new EmployeeEvent.ApiKeyRevoked(EmployeeId, KeyId, T0.AddDays(1)))
            .ThenState(state =>
                Assert.False(Assert.Single(Assert.IsType<Employee.Active>(state).Profile.ApiKeys).IsActive));

    [Fact]
    public void GivenRevokedKey_WhenRevokedAgain_ThenNothingHappens() =>
        Spec.Given(RegisteredAdmin, KeyIssued, new EmployeeEvent.ApiKeyRevoked(EmployeeId, KeyId, T0.AddDays(1)))
            .When(new EmployeeCommand.RevokeApiKey(EmployeeId, KeyId, T0.AddDays(2)))
            .ThenNothing();

    [Fact]
    public void GivenRevokedKey_WhenTheSameKeyIdIsIssuedAgain_ThenNothingHappensAndItStaysRevoked() =>
        Spec.Given(RegisteredAdmin, KeyIssued, new EmployeeEvent.ApiKeyRevoked(EmployeeId, KeyId, T0.AddDays(1)))
            .When(new EmployeeCommand.IssueApiKey(EmployeeId, KeyId, "crm", "sha256$key", T0.AddDays(2)))
            .ThenNothing();

    [Fact]
    public void GivenEmployee_WhenUnknownKeyIsRevoked_ThenRefused() =>
        Spec.Given(RegisteredAdmin)
            .When(new EmployeeCommand.RevokeApiKey(EmployeeId, KeyId, T0))
            .ThenThrows<DomainException>("employee.api_key_not_found");
}
