using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenOfferedCall_WhenTheAgentDoesNotAnswer_ThenCallGoesBackToItsQueue() =>
        Spec.Given(Offered)
            .When(new CallCommand.WithdrawOffer(CallId, AgentId, At(30)))
            .Then(new CallEvent.OfferWithdrawn(CallId, AgentId, At(30)))
            .ThenState(state => Assert.Equal("sales", StateIs<Call.Queued>(state).SkillGroup));

    [Fact]
    public void GivenPredictiveCallOfferedWithoutQueue_WhenWithdrawn_ThenCustomerIsBackToWaiting() =>
        Spec.Given([.. AnsweredCall, new CallEvent.OfferedToAgent(CallId, AgentId, At(10))])
            .When(new CallCommand.WithdrawOffer(CallId, AgentId, At(20)))
            .Then(new CallEvent.OfferWithdrawn(CallId, AgentId, At(20)))
            .ThenState(state => StateIs<Call.Answered>(state));

    [Fact]
    public void GivenUnansweredInboundCallOfferedToAnAgent_WhenWithdrawn_ThenCallerIsStillWaitingUnanswered() =>
        Spec.Given(InboundArrived, new CallEvent.OfferedToAgent(CallId, AgentId, At(1)))
            .When(new CallCommand.WithdrawOffer(CallId, AgentId, At(20)))
            .Then(new CallEvent.OfferWithdrawn(CallId, AgentId, At(20)))
            .ThenState(state => StateIs<Call.Created>(state));

    [Fact]
    public void GivenCallTakenByTheAgent_WhenALateWithdrawArrives_ThenNothingHappens() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.WithdrawOffer(CallId, AgentId, At(30)))
            .ThenNothing();

    [Fact]
    public void GivenCallOfferedToAnotherAgent_WhenTheFirstAgentsWithdrawArrives_ThenNothingHappens() =>
        Spec.Given([.. Queued, new CallEvent.OfferedToAgent(CallId, OtherAgentId, At(40))])
            .When(new CallCommand.WithdrawOffer(CallId, AgentId, At(41)))
            .ThenNothing();

    [Fact]
    public void GivenEndedCall_WhenAWithdrawArrives_ThenNothingHappens() =>
        Spec.Given(EndedWithAgent)
            .When(new CallCommand.WithdrawOffer(CallId, AgentId, At(80)))
            .ThenNothing();
}
