using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenReadyAgent_WhenGoingOnBreak_ThenAgentIsNotReadyWithTheReason() =>
        Spec.Given(Ready)
            .When(new AgentCommand.MakeNotReady(AgentId, " break ", T0.AddMinutes(2)))
            .Then(OnBreak)
            .ThenState(state => Assert.Equal(
                new AgentPresence.NotReady("break", null, T0.AddMinutes(2)), PresenceOf<AgentPresence.NotReady>(state)));

    [Fact]
    public void GivenAgentOnBreak_WhenSameReasonIsSentAgain_ThenNothingHappens() =>
        Spec.Given(Created, LoggedIn, OnBreak)
            .When(new AgentCommand.MakeNotReady(AgentId, "break", T0.AddMinutes(3)))
            .ThenNothing();

    [Fact]
    public void GivenAgentOnBreak_WhenReasonChanges_ThenNewReasonIsRecorded() =>
        Spec.Given(Created, LoggedIn, OnBreak)
            .When(new AgentCommand.MakeNotReady(AgentId, "training", T0.AddMinutes(3)))
            .Then(new AgentEvent.WentNotReady(AgentId, "training", T0.AddMinutes(3)));

    [Fact]
    public void GivenAgentInWrapUp_WhenGoingOnBreak_ThenWrapUpEndsAsNotReady() =>
        Spec.Given(WrappingUp)
            .When(new AgentCommand.MakeNotReady(AgentId, "break", T0.AddMinutes(10).AddSeconds(10)))
            .Then(new AgentEvent.WentNotReady(AgentId, "break", T0.AddMinutes(10).AddSeconds(10)));

    [Fact]
    public void GivenAgentOnACall_WhenGoingOnBreak_ThenRefusedAsBusy() =>
        Spec.Given(OnCall)
            .When(new AgentCommand.MakeNotReady(AgentId, "break", T0.AddMinutes(5)))
            .ThenThrows<DomainException>("agent.busy");

    [Fact]
    public void GivenReadyAgent_WhenGoingNotReadyWithoutReason_ThenRefused() =>
        Spec.Given(Ready)
            .When(new AgentCommand.MakeNotReady(AgentId, "", T0.AddMinutes(5)))
            .ThenThrows<DomainException>("agent.reason_required");

    [Fact]
    public void GivenOfflineAgent_WhenGoingNotReady_ThenRefusedAsOffline() =>
        Spec.Given(Created)
            .When(new AgentCommand.MakeNotReady(AgentId, "break", T0.AddMinutes(5)))
            .ThenThrows<DomainException>("agent.offline");
}
