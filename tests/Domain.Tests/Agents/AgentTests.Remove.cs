using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenOfflineAgent_WhenRemoved_ThenSeatIsRemoved() =>
        Spec.Given(Created)
            .When(new AgentCommand.Remove(AgentId, T0.AddDays(1)))
            .Then(new AgentEvent.Removed(AgentId, T0.AddDays(1)))
            .ThenState(state => Assert.IsType<Agent.Removed>(state));

    [Fact]
    public void GivenRemovedAgent_WhenRemovedAgain_ThenNothingHappens() =>
        Spec.Given(Created, new AgentEvent.Removed(AgentId, T0.AddDays(1)))
            .When(new AgentCommand.Remove(AgentId, T0.AddDays(2)))
            .ThenNothing();

    [Fact]
    public void GivenLoggedInAgent_WhenRemoved_ThenRefused() =>
        Spec.Given(Ready)
            .When(new AgentCommand.Remove(AgentId, T0.AddDays(1)))
            .ThenThrows<DomainException>("agent.logged_in");

    [Fact]
    public void GivenRemovedAgent_WhenLoggingIn_ThenRefusedAsRemoved() =>
        Spec.Given(Created, new AgentEvent.Removed(AgentId, T0.AddDays(1)))
            .When(new AgentCommand.LogIn(AgentId, T0.AddDays(2)))
            .ThenThrows<DomainException>("agent.removed");
}
