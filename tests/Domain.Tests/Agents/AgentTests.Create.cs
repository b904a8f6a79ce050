using Aicc.Domain.Agents;
using Aicc.Domain.Common;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenNoAgent_WhenCreatedForAnEmployee_ThenAgentIsOfflineWithSortedDistinctSkills() =>
        Spec.When(new AgentCommand.Create(AgentId, TenantId, EmployeeId, " Li Lei ", ValueList.Of("sales", " vip", "sales", ""), T0))
            .Then(new AgentEvent.Created(AgentId, TenantId, EmployeeId, "Li Lei", ValueList.Of("sales", "vip"), T0))
            .ThenState(state => PresenceOf<AgentPresence.Offline>(state));

    [Fact]
    public void GivenAgent_WhenCreatedAgainForTheSameEmployee_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new AgentCommand.Create(AgentId, TenantId, EmployeeId, "Li Lei", ValueList.Of("sales"), T0))
            .ThenNothing();

    [Fact]
    public void GivenAgent_WhenCreatedAgainForAnotherEmployee_ThenRefused() =>
        Spec.Given(Created)
            .When(new AgentCommand.Create(AgentId, TenantId, SupervisorId, "Han", ValueList.Of("sales"), T0))
            .ThenThrows<DomainException>("agent.already_exists");

    [Fact]
    public void GivenNoAgent_WhenCreatedWithoutName_ThenRefused() =>
        Spec.When(new AgentCommand.Create(AgentId, TenantId, EmployeeId, " ", ValueList<string>.Empty, T0))
            .ThenThrows<DomainException>("agent.name_required");

    [Fact]
    public void GivenNoAgent_WhenLoggingIn_ThenRefusedAsNotFound() =>
        Spec.When(new AgentCommand.LogIn(AgentId, T0))
            .ThenThrows<DomainException>("agent.not_found");
}
