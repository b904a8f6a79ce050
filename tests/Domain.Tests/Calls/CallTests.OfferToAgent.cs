using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenQueuedCall_WhenOfferedToAReadyAgent_ThenTheAgentsLegIsCalled() =>
        Spec.Given(Queued)
            .When(new CallCommand.OfferToAgent(CallId, AgentId, At(12)))
            .Then(OfferedToAgent)
            .ThenState(state =>
            {
                var offered = StateIs<Call.Offered>(state);
                Assert.Equal((AgentId, "sales"), (offered.AgentId, offered.SkillGroup));
                Assert.Equal(At(12), offered.Info.Timeline.SeatCalledAt);
            });

    [Fact]
    public void GivenAnsweredPredictiveCall_WhenOfferedStraightToAnAgent_ThenCallIsOffered() =>
        Spec.Given(AnsweredCall)
            .When(new CallCommand.OfferToAgent(CallId, AgentId, At(10)))
            .Then(new CallEvent.OfferedToAgent(CallId, AgentId, At(10)))
            .ThenState(state => Assert.Null(StateIs<Call.Offered>(state).SkillGroup));

    [Fact]
    public void GivenOfferedCall_WhenOfferedToTheSameAgentAgain_ThenNothingHappens() =>
        Spec.Given(Offered)
            .When(new CallCommand.OfferToAgent(CallId, AgentId, At(13)))
            .ThenNothing();

    [Fact]
    public void GivenOfferedCall_WhenOfferedToASecondAgent_ThenRefused() =>
        Spec.Given(Offered)
            .When(new CallCommand.OfferToAgent(CallId, OtherAgentId, At(13)))
            .ThenThrows<DomainException>("call.already_offered");

    [Fact]
    public void GivenCallWithAgent_WhenOfferedToAnotherAgent_ThenRefused() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.OfferToAgent(CallId, OtherAgentId, At(20)))
            .ThenThrows<DomainException>("call.already_with_seat");

    [Fact]
    public void GivenCallWithAgent_WhenTheOfferToThatAgentIsRetried_ThenNothingHappens() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.OfferToAgent(CallId, AgentId, At(20)))
            .ThenNothing();

    [Fact]
    public void GivenRingingCall_WhenOfferedToAnAgent_ThenRefusedAsNotAnswered() =>
        Spec.Given(Ringing)
            .When(new CallCommand.OfferToAgent(CallId, AgentId, At(5)))
            .ThenThrows<DomainException>("call.not_answered");
}
