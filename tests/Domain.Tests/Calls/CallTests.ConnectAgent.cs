using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenOfferedCall_WhenTheAgentAnswers_ThenCustomerAndAgentAreConnected() =>
        Spec.Given(Offered)
            .When(new CallCommand.ConnectAgent(CallId, AgentId, At(15)))
            .Then(AgentConnected)
            .ThenState(state =>
            {
                var call = StateIs<Call.WithAgent>(state);
                Assert.Equal(AgentId, call.Info.AgentId);
                Assert.False(call.OnHold);
                Assert.Equal(At(15), call.Info.Timeline.ConnectedAt);
            });

    [Fact]
    public void GivenUnansweredInboundCallRingingAnAgent_WhenTheAgentAnswers_ThenCallIsAnsweredAndConnected() =>
        Spec.Given(InboundArrived, new CallEvent.OfferedToAgent(CallId, AgentId, At(1)))
            .When(new CallCommand.ConnectAgent(CallId, AgentId, At(6)))
            .Then(new CallEvent.Answered(CallId, At(6)), new CallEvent.ConnectedToAgent(CallId, AgentId, At(6)))
            .ThenState(state => Assert.Equal(At(6), InfoOf(StateIs<Call.WithAgent>(state)).Timeline.CustomerAnsweredAt));

    [Fact]
    public void GivenCallWithAgent_WhenTheAgentsAnswerIsRepeated_ThenNothingHappens() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.ConnectAgent(CallId, AgentId, At(16)))
            .ThenNothing();

    [Fact]
    public void GivenOfferedCall_WhenAnotherAgentAnswers_ThenRefusedAsNotOffered() =>
        Spec.Given(Offered)
            .When(new CallCommand.ConnectAgent(CallId, OtherAgentId, At(15)))
            .ThenThrows<DomainException>("call.not_offered");

    [Fact]
    public void GivenQueuedCall_WhenAnAgentAnswersWithoutAnOffer_ThenRefusedAsNotOffered() =>
        Spec.Given(Queued)
            .When(new CallCommand.ConnectAgent(CallId, AgentId, At(15)))
            .ThenThrows<DomainException>("call.not_offered");
}
