using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenAgentOnBreak_WhenMadeReady_ThenAgentIsReady() =>
        Spec.Given(Created, LoggedIn, OnBreak)
            .When(new AgentCommand.MakeReady(AgentId, T0.AddMinutes(5)))
            .Then(new AgentEvent.BecameReady(AgentId, T0.AddMinutes(5)))
            .ThenState(state => PresenceOf<AgentPresence.Ready>(state));

    [Fact]
    public void GivenReadyAgent_WhenMadeReady_ThenNothingHappens() =>
        Spec.Given(Ready)
            .When(new AgentCommand.MakeReady(AgentId, T0.AddMinutes(5)))
            .ThenNothing();

    [Fact]
    public void GivenAgentInWrapUp_WhenAgentMakesThemselvesReady_ThenWrapUpEndsEarly() =>
        Spec.Given(WrappingUp)
            .When(new AgentCommand.MakeReady(AgentId, T0.AddMinutes(10).AddSeconds(5)))
            .Then(WrapUpEnded)
            .ThenState(state => PresenceOf<AgentPresence.Ready>(state));

    [Fact]
    public void GivenRingingAgent_WhenMadeReady_ThenRefusedAsBusy() =>
        Spec.Given(Ringing)
            .When(new AgentCommand.MakeReady(AgentId, T0.AddMinutes(5)))
            .ThenThrows<DomainException>("agent.busy");

    [Fact]
    public void GivenOfflineAgent_WhenMadeReady_ThenRefusedAsOffline() =>
        Spec.Given(Created)
            .When(new AgentCommand.MakeReady(AgentId, T0.AddMinutes(5)))
            .ThenThrows<DomainException>("agent.offline");
}
