using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenAgentOnACall_WhenCallEnds_ThenTimedWrapUpStarts() =>
        Spec.Given(OnCall)
            .When(new AgentCommand.EndCall(AgentId, Call1, TimeSpan.FromSeconds(30), T0.AddMinutes(10)))
            .Then(CallEnded)
            .ThenState(state => Assert.Equal(
                new AgentPresence.AfterCallWork(Call1, T0.AddMinutes(10), T0.AddMinutes(10).AddSeconds(30)),
                PresenceOf<AgentPresence.AfterCallWork>(state)));

    [Fact]
    public void GivenAgentOnACall_WhenCallEndsWithoutWrapUpTime_ThenAgentIsReadyAtOnce() =>
        Spec.Given(OnCall)
            .When(new AgentCommand.EndCall(AgentId, Call1, TimeSpan.Zero, T0.AddMinutes(10)))
            .Then(
                new AgentEvent.CallEnded(AgentId, Call1, T0.AddMinutes(10), T0.AddMinutes(10)),
                new AgentEvent.AfterCallWorkEnded(AgentId, Call1, AfterCallWorkEnd.Timer, T0.AddMinutes(10)))
            .ThenState(state => PresenceOf<AgentPresence.Ready>(state));

    [Fact]
    public void GivenAgentInWrapUp_WhenTheHangUpIsReportedAgain_ThenNothingHappens() =>
        Spec.Given(WrappingUp)
            .When(new AgentCommand.EndCall(AgentId, Call1, TimeSpan.FromSeconds(30), T0.AddMinutes(10)))
            .ThenNothing();

    [Fact]
    public void GivenAgentOnACall_WhenALateHangUpOfAnEarlierCallArrives_ThenTheCurrentCallContinues() =>
        Spec.Given(OnCall)
            .When(new AgentCommand.EndCall(AgentId, Call2, TimeSpan.FromSeconds(30), T0.AddMinutes(10)))
            .ThenNothing()
            .ThenState(state => Assert.Equal(Call1, PresenceOf<AgentPresence.OnCall>(state).CallId));

    [Fact]
    public void GivenAgentOnACall_WhenWrapUpTimeIsNegative_ThenRefused() =>
        Spec.Given(OnCall)
            .When(new AgentCommand.EndCall(AgentId, Call1, TimeSpan.FromSeconds(-1), T0.AddMinutes(10)))
            .ThenThrows<DomainException>("agent.invalid_after_call_work");
}
