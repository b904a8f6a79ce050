using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenAgent_WhenSipCredentialsAreSet_ThenTheHashIsKept() =>
        Spec.Given(Created)
            .When(new AgentCommand.SetSipCredentials(AgentId, " 1001 ", "ha1", T0))
            .Then(new AgentEvent.SipCredentialsSet(AgentId, "1001", "ha1", T0))
            .ThenState(state => Assert.Equal(
                new SipCredentials("1001", "ha1"), Assert.IsType<Agent.Active>(state).Profile.Sip));

    [Fact]
    public void GivenAgentWithCredentials_WhenTheSameAreSetAgain_ThenNothingHappens() =>
        Spec.Given(Created, new AgentEvent.SipCredentialsSet(AgentId, "1001", "ha1", T0))
            .When(new AgentCommand.SetSipCredentials(AgentId, "1001", "ha1", T0.AddMinutes(1)))
            .ThenNothing();

    [Fact]
    public void GivenAgent_WhenSipPasswordHashIsMissing_ThenRefused() =>
        Spec.Given(Created)
            .When(new AgentCommand.SetSipCredentials(AgentId, "1001", "", T0))
            .ThenThrows<DomainException>("agent.sip_credentials_required");
}
