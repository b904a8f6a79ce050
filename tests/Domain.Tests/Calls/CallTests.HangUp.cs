using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenCallWithAgent_WhenTheCustomerHangsUp_ThenCallEndsAnswered() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Customer, CloseReason.Normal, At(75)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.Normal, CallOutcome.Answered, At(75)))
            .ThenState(state => Assert.Equal(CallOutcome.Answered, StateIs<Call.Ended>(state).Outcome));

    [Fact]
    public void GivenRingingCall_WhenTheCallerCancels_ThenCallEndsAsCancelled() =>
        Spec.Given(Ringing)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Seat, CloseReason.Normal, At(8)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Seat, CloseReason.Normal, CallOutcome.Cancelled, At(8)));

    [Fact]
    public void GivenRingingCall_WhenThePlatformGivesUpRinging_ThenCallEndsAsNoAnswer() =>
        Spec.Given(Ringing)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Platform, CloseReason.Normal, At(33)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Platform, CloseReason.Normal, CallOutcome.NoAnswer, At(33)));

    [Fact]
    public void GivenRingingCall_WhenTheCustomerRejectsIt_ThenCallEndsAsBusy() =>
        Spec.Given(Ringing)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Customer, CloseReason.Normal, At(6)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.Normal, CallOutcome.Busy, At(6)));

    [Fact]
    public void GivenDialingCall_WhenTheCalleeIsBusy_ThenCallEndsAsBusyWithSeedCloseType4() =>
        Spec.Given(Dialing)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Customer, CloseReason.BBusy, At(2)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.BBusy, CallOutcome.Busy, At(2)))
            .ThenState(state => Assert.Equal(4, (int)StateIs<Call.Ended>(state).Reason));

    [Fact]
    public void GivenDialingCall_WhenTheCalleeIsUnreachable_ThenCallEndsAsFailed() =>
        Spec.Given(Dialing)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Platform, CloseReason.BUnreachable, At(2)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Platform, CloseReason.BUnreachable, CallOutcome.Failed, At(2)));

    [Fact]
    public void GivenDialingCall_WhenTheChannelFails_ThenCallEndsAsFailed() =>
        Spec.Given(Dialing)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Platform, CloseReason.ChannelError, At(2)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Platform, CloseReason.ChannelError, CallOutcome.Failed, At(2)));

    [Fact]
    public void GivenUndialedCall_WhenThePlatformDropsIt_ThenCallEndsAsCancelled() =>
        Spec.Given(Created)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Platform, CloseReason.Normal, At(1)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Platform, CloseReason.Normal, CallOutcome.Cancelled, At(1)));

    [Fact]
    public void GivenAnsweredCallWaitingForAnAgent_WhenTheCustomerHangsUp_ThenCallEndsAbandoned() =>
        Spec.Given(Queued)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Customer, CloseReason.Normal, At(14)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.Normal, CallOutcome.Abandoned, At(14)));

    [Fact]
    public void GivenRobotCallHandedToAQueue_WhenTheCustomerHangsUpWaiting_ThenCallStillCountsAsAnswered() =>
        Spec.Given([.. WithRobot, new CallEvent.Transferred(CallId, new TransferTarget.ToSkillGroup("sales"), "x", At(40))])
            .When(new CallCommand.HangUp(CallId, HangUpParty.Customer, CloseReason.Normal, At(50)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.Normal, CallOutcome.Answered, At(50)));

    [Fact]
    public void GivenInboundCallRingingAnAgent_WhenTheCallerHangsUp_ThenCallEndsAsCancelled() =>
        Spec.Given(InboundArrived, new CallEvent.OfferedToAgent(CallId, AgentId, At(1)))
            .When(new CallCommand.HangUp(CallId, HangUpParty.Customer, CloseReason.Normal, At(9)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.Normal, CallOutcome.Cancelled, At(9)));

    [Fact]
    public void GivenInboundCall_WhenThePlatformRejectsIt_ThenCallEndsAsFailed() =>
        Spec.Given(Inbound)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Platform, CloseReason.Normal, At(1)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Platform, CloseReason.Normal, CallOutcome.Failed, At(1)));

    [Fact]
    public void GivenRingingCall_WhenItRingsForTheMaximumDuration_ThenCallEndsAsNoAnswer() =>
        Spec.Given(Ringing)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Platform, CloseReason.MaxDuration, At(60)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Platform, CloseReason.MaxDuration, CallOutcome.NoAnswer, At(60)));

    [Fact]
    public void GivenEndedCall_WhenTheByeIsRetransmitted_ThenNothingHappens() =>
        Spec.Given(EndedWithAgent)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Seat, CloseReason.Normal, At(76)))
            .ThenNothing();

    [Fact]
    public void GivenCallWithAgent_WhenTheCloseReasonIsUnknown_ThenRefused() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Customer, (CloseReason)42, At(75)))
            .ThenThrows<DomainException>("call.invalid_hang_up");
}
