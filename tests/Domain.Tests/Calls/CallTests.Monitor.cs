using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    private static readonly Guid SupervisorId = Guid.Parse("0195a000-0000-7000-8000-00000000e501");
    private static readonly Guid OtherSupervisorId = Guid.Parse("0195a000-0000-7000-8000-00000000e502");

    private static readonly CallEvent[] Monitored = [.. WithAgent, new CallEvent.MonitorStarted(CallId, SupervisorId, MonitorMode.Listen, At(20))];

    [Fact]
    public void GivenCallWithAgent_WhenASupervisorJoins_ThenTheMonitorIsOnTheCall() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.StartMonitor(CallId, SupervisorId, MonitorMode.Listen, At(20)))
            .Then(new CallEvent.MonitorStarted(CallId, SupervisorId, MonitorMode.Listen, At(20)))
            .ThenState(state => Assert.Equal(new CallMonitor(SupervisorId, MonitorMode.Listen, At(20)), StateIs<Call.WithAgent>(state).Info.Monitor));

    [Fact]
    public void GivenMonitoredCall_WhenTheSameSupervisorJoinsInTheSameMode_ThenNothingHappens() =>
        Spec.Given(Monitored)
            .When(new CallCommand.StartMonitor(CallId, SupervisorId, MonitorMode.Listen, At(25)))
            .ThenNothing();

    [Fact]
    public void GivenMonitoredCall_WhenTheSupervisorSwitchesToBarge_ThenTheModeChanges() =>
        Spec.Given(Monitored)
            .When(new CallCommand.ChangeMonitorMode(CallId, SupervisorId, MonitorMode.Barge, At(25)))
            .Then(new CallEvent.MonitorModeChanged(CallId, SupervisorId, MonitorMode.Barge, At(25)))
            .ThenState(state => Assert.Equal(MonitorMode.Barge, StateIs<Call.WithAgent>(state).Info.Monitor!.Mode));

    [Fact]
    public void GivenMonitoredCall_WhenAnotherSupervisorJoins_ThenRefusedAsMonitored() =>
        Spec.Given(Monitored)
            .When(new CallCommand.StartMonitor(CallId, OtherSupervisorId, MonitorMode.Listen, At(25)))
            .ThenThrows<DomainException>("call.monitored");

    [Fact]
    public void GivenMonitoredCall_WhenAnotherSupervisorChangesTheMode_ThenRefusedAsNotMonitoring() =>
        Spec.Given(Monitored)
            .When(new CallCommand.ChangeMonitorMode(CallId, OtherSupervisorId, MonitorMode.Barge, At(25)))
            .ThenThrows<DomainException>("call.not_monitored");

    [Fact]
    public void GivenQueuedCall_WhenASupervisorJoins_ThenRefusedAsNotWithAgent() =>
        Spec.Given(Queued)
            .When(new CallCommand.StartMonitor(CallId, SupervisorId, MonitorMode.Listen, At(20)))
            .ThenThrows<DomainException>("call.not_with_agent");

    [Fact]
    public void GivenEndedCall_WhenASupervisorJoins_ThenRefusedAsEnded() =>
        Spec.Given(EndedWithAgent)
            .When(new CallCommand.StartMonitor(CallId, SupervisorId, MonitorMode.Listen, At(80)))
            .ThenThrows<DomainException>("call.ended");

    [Fact]
    public void GivenMonitoredCall_WhenTheSupervisorLeaves_ThenTheMonitorEndsWithTheReason() =>
        Spec.Given(Monitored)
            .When(new CallCommand.EndMonitor(CallId, SupervisorId, "left", At(30)))
            .Then(new CallEvent.MonitorEnded(CallId, SupervisorId, "left", At(30)))
            .ThenState(state => Assert.Null(StateIs<Call.WithAgent>(state).Info.Monitor));

    [Fact]
    public void GivenACallThatEndedWhileMonitored_WhenTheMonitorEnds_ThenItsEndIsStillRecorded() =>
        Spec.Given([.. Monitored, new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.Normal, CallOutcome.Answered, At(75))])
            .When(new CallCommand.EndMonitor(CallId, SupervisorId, "call ended", At(75)))
            .Then(new CallEvent.MonitorEnded(CallId, SupervisorId, "call ended", At(75)));

    [Fact]
    public void GivenUnmonitoredCall_WhenAMonitorEnds_ThenNothingHappens() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.EndMonitor(CallId, SupervisorId, "left", At(30)))
            .ThenNothing();
}
