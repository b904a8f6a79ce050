using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenReadyAgent_WhenSupervisorForcesNotReady_ThenAgentIsNotReadyNamingTheSupervisor() =>
        Spec.Given(Ready)
            .When(new AgentCommand.ForceNotReady(AgentId, SupervisorId, "coaching", T0.AddMinutes(2)))
            .Then(new AgentEvent.ForcedNotReady(AgentId, SupervisorId, "coaching", T0.AddMinutes(2)))
            .ThenState(state => Assert.Equal(SupervisorId, PresenceOf<AgentPresence.NotReady>(state).ForcedBy));

    [Fact]
    public void GivenAgentInWrapUp_WhenSupervisorForcesNotReady_ThenAgentIsNotReady() =>
        Spec.Given(WrappingUp)
            .When(new AgentCommand.ForceNotReady(AgentId, SupervisorId, "coaching", T0.AddMinutes(11)))
            .Then(new AgentEvent.ForcedNotReady(AgentId, SupervisorId, "coaching", T0.AddMinutes(11)));

    [Fact]
    public void GivenForcedAgent_WhenForcedAgainWithTheSameReason_ThenNothingHappens() =>
        Spec.Given(Created, LoggedIn, new AgentEvent.ForcedNotReady(AgentId, SupervisorId, "coaching", T0.AddMinutes(2)))
            .When(new AgentCommand.ForceNotReady(AgentId, SupervisorId, "coaching", T0.AddMinutes(3)))
            .ThenNothing();

    [Fact]
    public void GivenRingingAgent_WhenSupervisorForcesNotReady_ThenRefusedAsBusy() =>
        Spec.Given(Ringing)
            .When(new AgentCommand.ForceNotReady(AgentId, SupervisorId, "coaching", T0.AddMinutes(3)))
            .ThenThrows<DomainException>("agent.busy");

    [Fact]
    public void GivenOfflineAgent_WhenSupervisorForcesNotReady_ThenRefusedAsOffline() =>
        Spec.Given(Created)
            .When(new AgentCommand.ForceNotReady(AgentId, SupervisorId, "coaching", T0.AddMinutes(3)))
            .ThenThrows<DomainException>("agent.offline");

    [Fact]
    public void GivenReadyAgent_WhenForcedWithoutReason_ThenRefused() =>
        Spec.Given(Ready)
            .When(new AgentCommand.ForceNotReady(AgentId, SupervisorId, " ", T0.AddMinutes(3)))
            .ThenThrows<DomainException>("agent.reason_required");
}
