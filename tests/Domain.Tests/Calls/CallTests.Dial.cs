using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenCreatedCall_WhenDialed_ThenAttemptLineAndCallerIdAreRecorded() =>
        Spec.Given(Created)
            .When(new CallCommand.Dial(CallId, 1, LineId, CallerId, At(1)))
            .Then(DialingStarted)
            .ThenState(state =>
            {
                var info = InfoOf(StateIs<Call.Dialing>(state));
                Assert.Equal((1, LineId, "+861088886666"), (info.Attempt, info.LineId, info.Caller));
                Assert.Equal(At(1), info.Timeline.CustomerCalledAt);
            });

    [Fact]
    public void GivenDialingCall_WhenTheSameAttemptIsDialedAgain_ThenNothingHappens() =>
        Spec.Given(Dialing)
            .When(new CallCommand.Dial(CallId, 1, LineId, CallerId, At(2)))
            .ThenNothing();

    [Fact]
    public void GivenRingingCall_WhenDialedAsAnotherAttempt_ThenRefused() =>
        Spec.Given(Ringing)
            .When(new CallCommand.Dial(CallId, 2, LineId, CallerId, At(4)))
            .ThenThrows<DomainException>("call.already_dialed");

    [Fact]
    public void GivenCreatedCall_WhenDialedAsAttemptZero_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallCommand.Dial(CallId, 0, LineId, CallerId, At(1)))
            .ThenThrows<DomainException>("call.invalid_attempt");

    [Fact]
    public void GivenInboundCall_WhenDialed_ThenRefusedAsNotOutbound() =>
        Spec.Given(Inbound)
            .When(new CallCommand.Dial(CallId, 1, LineId, CallerId, At(1)))
            .ThenThrows<DomainException>("call.not_outbound");

    [Fact]
    public void GivenEndedCall_WhenDialed_ThenRefusedAsEnded() =>
        Spec.Given([.. Created, new CallEvent.HungUp(CallId, HangUpParty.Platform, CloseReason.Normal, CallOutcome.Cancelled, At(1))])
            .When(new CallCommand.Dial(CallId, 1, LineId, CallerId, At(2)))
            .ThenThrows<DomainException>("call.ended");
}
