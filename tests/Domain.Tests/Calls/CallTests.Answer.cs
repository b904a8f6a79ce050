using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenRingingCall_WhenTheCustomerPicksUp_ThenCallIsAnswered() =>
        Spec.Given(Ringing)
            .When(new CallCommand.Answer(CallId, At(10)))
            .Then(Answered)
            .ThenState(state => Assert.Equal(At(10), InfoOf(StateIs<Call.Answered>(state)).Timeline.CustomerAnsweredAt));

    [Fact]
    public void GivenDialingCall_WhenAnsweredWithoutRinging_ThenCallIsAnswered() =>
        Spec.Given(Dialing)
            .When(new CallCommand.Answer(CallId, At(5)))
            .Then(new CallEvent.Answered(CallId, At(5)));

    [Fact]
    public void GivenInboundCall_WhenThePlatformPicksUp_ThenCallIsAnswered() =>
        Spec.Given(Inbound)
            .When(new CallCommand.Answer(CallId, At(1)))
            .Then(new CallEvent.Answered(CallId, At(1)))
            .ThenState(state => StateIs<Call.Answered>(state));

    [Fact]
    public void GivenInboundCallRingingAnAgent_WhenThePlatformPicksUp_ThenTheOfferContinues() =>
        Spec.Given(InboundArrived, new CallEvent.OfferedToAgent(CallId, AgentId, At(1)))
            .When(new CallCommand.Answer(CallId, At(2)))
            .Then(new CallEvent.Answered(CallId, At(2)))
            .ThenState(state => Assert.Equal(AgentId, StateIs<Call.Offered>(state).AgentId));

    [Fact]
    public void GivenAnsweredCall_WhenThe200OkIsRetransmitted_ThenNothingHappens() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.Answer(CallId, At(12)))
            .ThenNothing();

    [Fact]
    public void GivenUndialedCall_WhenAnswered_ThenRefusedAsNotDialing() =>
        Spec.Given(Created)
            .When(new CallCommand.Answer(CallId, At(1)))
            .ThenThrows<DomainException>("call.not_dialing");

    [Fact]
    public void GivenEndedCall_WhenAnswered_ThenRefusedAsEnded() =>
        Spec.Given([.. Ringing, new CallEvent.HungUp(CallId, HangUpParty.Platform, CloseReason.Normal, CallOutcome.NoAnswer, At(30))])
            .When(new CallCommand.Answer(CallId, At(31)))
            .ThenThrows<DomainException>("call.ended");
}
