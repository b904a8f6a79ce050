using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenReadyAgent_WhenLoggingOut_ThenAgentIsOffline() =>
        Spec.Given(Ready)
            .When(new AgentCommand.LogOut(AgentId, T0.AddHours(8)))
            .Then(new AgentEvent.LoggedOut(AgentId, T0.AddHours(8)))
            .ThenState(state => PresenceOf<AgentPresence.Offline>(state));

    [Fact]
    public void GivenAgentInWrapUp_WhenLoggingOut_ThenAgentIsOffline() =>
        Spec.Given(WrappingUp)
            .When(new AgentCommand.LogOut(AgentId, T0.AddMinutes(10).AddSeconds(10)))
            .Then(new AgentEvent.LoggedOut(AgentId, T0.AddMinutes(10).AddSeconds(10)));

    [Fact]
    public void GivenOfflineAgent_WhenLoggingOut_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new AgentCommand.LogOut(AgentId, T0.AddHours(8)))
            .ThenNothing();

    [Fact]
    public void GivenAgentOnACall_WhenLoggingOut_ThenRefusedAsBusy() =>
        Spec.Given(OnCall)
            .When(new AgentCommand.LogOut(AgentId, T0.AddMinutes(5)))
            .ThenThrows<DomainException>("agent.busy");

    [Fact]
    public void GivenRingingAgent_WhenLoggingOut_ThenRefusedAsBusy() =>
        Spec.Given(Ringing)
            .When(new AgentCommand.LogOut(AgentId, T0.AddMinutes(5)))
            .ThenThrows<DomainException>("agent.busy");
}
