using Aicc.Domain.Employees;

namespace Aicc.Domain.Tests.Employees;

public partial class EmployeeTests
{
    [Fact]
    public void GivenEmployee_WhenApiKeyIsIssued_ThenOnlyItsHashIsKept() =>
        Spec.Given(RegisteredAdmin)
            .When(new EmployeeCommand.IssueApiKey(EmployeeId, KeyId, " crm ", "sha256$key", T0.AddMinutes(5)))
            .Then(KeyIssued)
            .ThenState(state =>
            {
                var key = Assert.Single(Assert.IsType<Employee.Active>(state).Profile.ApiKeys);
                Assert.Equal(new ApiKey(KeyId, "crm", "sha256$key", T0.AddMinutes(5), null), key);
                Assert.True(key.IsActive);
            });

    [Fact]
    public void GivenIssuedKey_WhenTheSameIssueIsRetried_ThenNothingHappens() =>
        Spec.Given(RegisteredAdmin, KeyIssued)
            .When(new EmployeeCommand.IssueApiKey(EmployeeId, KeyId, "crm", "sha256$key", T0.AddMinutes(6)))
            .ThenNothing();

    [Fact]
    public void GivenIssuedKey_WhenAnotherKeyIsIssuedUnderItsId_ThenRefused() =>
        Spec.Given(RegisteredAdmin, KeyIssued)
            .When(new EmployeeCommand.IssueApiKey(EmployeeId, KeyId, "crm", "sha256$other", T0.AddMinutes(6)))
            .ThenThrows<DomainException>("employee.api_key_conflict");

    [Fact]
    public void GivenEmployee_WhenKeyWithoutLabelIsIssued_ThenItGetsADefaultLabel() =>
        Spec.Given(RegisteredAdmin)
            .When(new EmployeeCommand.IssueApiKey(EmployeeId, KeyId, "", "sha256$key", T0))
            .Then(new EmployeeEvent.ApiKeyIssued(EmployeeId, KeyId, "api key", "sha256$key", T0));

    [Fact]
    public void GivenEmployee_WhenKeyHashIsMissing_ThenRefused() =>
        Spec.Given(RegisteredAdmin)
            .When(new EmployeeCommand.IssueApiKey(EmployeeId, KeyId, "crm", "", T0))
            .ThenThrows<DomainException>("employee.api_key_hash_required");

    [Fact]
    public void GivenDeactivatedEmployee_WhenApiKeyIsIssued_ThenRefused() =>
        Spec.Given(RegisteredAgent, new EmployeeEvent.Deactivated(EmployeeId, T0.AddDays(1)))
            .When(new EmployeeCommand.IssueApiKey(EmployeeId, KeyId, "crm", "sha256$key", T0.AddDays(2)))
            .ThenThrows<DomainException>("employee.deactivated");
}
