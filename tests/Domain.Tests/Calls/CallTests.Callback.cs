using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

/// <summary>Seed 001's two-leg callback: the agent's leg is called first, then the customer's.</summary>
public partial class CallTests
{
    private static CallEvent[] AgentWaiting =>
    [
        OutboundCreated,
        new CallEvent.OfferedToAgent(CallId, AgentId, At(0)),
        new CallEvent.ConnectedToAgent(CallId, AgentId, At(3)),
    ];

    [Fact]
    public void GivenUndialedOutboundCall_WhenOfferedToAnAgent_ThenTheAgentsLegIsCalledFirst() =>
        Spec.Given(Created)
            .When(new CallCommand.OfferToAgent(CallId, AgentId, At(0)))
            .Then(new CallEvent.OfferedToAgent(CallId, AgentId, At(0)))
            .ThenState(state => Assert.Equal(At(0), InfoOf(StateIs<Call.Offered>(state)).Timeline.SeatCalledAt));

    [Fact]
    public void GivenCallbackRingingTheAgent_WhenTheAgentAnswers_ThenTheAgentWaitsWhileTheCustomerIsDialed() =>
        Spec.Given(OutboundCreated, new CallEvent.OfferedToAgent(CallId, AgentId, At(0)))
            .When(new CallCommand.ConnectAgent(CallId, AgentId, At(3)))
            .Then(new CallEvent.ConnectedToAgent(CallId, AgentId, At(3)))
            .ThenState(state =>
            {
                var info = InfoOf(StateIs<Call.Created>(state));
                Assert.True(info.SeatWaiting);
                Assert.Null(info.Timeline.ConnectedAt);
            });

    [Fact]
    public void GivenAgentWaiting_WhenTheAgentsAnswerIsRepeated_ThenNothingHappens() =>
        Spec.Given(AgentWaiting)
            .When(new CallCommand.ConnectAgent(CallId, AgentId, At(4)))
            .ThenNothing();

    [Fact]
    public void GivenAgentWaiting_WhenTheOfferIsRepeated_ThenNothingHappens() =>
        Spec.Given(AgentWaiting)
            .When(new CallCommand.OfferToAgent(CallId, AgentId, At(4)))
            .ThenNothing();

    [Fact]
    public void GivenAgentWaiting_WhenAnotherAgentIsOffered_ThenRefused() =>
        Spec.Given(AgentWaiting)
            .When(new CallCommand.OfferToAgent(CallId, OtherAgentId, At(4)))
            .ThenThrows<DomainException>("call.already_with_seat");

    [Fact]
    public void GivenAgentWaitingAndCustomerRinging_WhenTheCustomerAnswers_ThenBothAreConnectedAtOnce() =>
        Spec.Given([.. AgentWaiting, new CallEvent.DialingStarted(CallId, 1, LineId, "+861088886666", At(4)), new CallEvent.RingingStarted(CallId, At(6))])
            .When(new CallCommand.Answer(CallId, At(10)))
            .Then(new CallEvent.Answered(CallId, At(10)))
            .ThenState(state =>
            {
                var call = StateIs<Call.WithAgent>(state);
                Assert.Equal(AgentId, call.Info.AgentId);
                Assert.Equal(At(10), call.Info.Timeline.ConnectedAt);
            });

    [Fact]
    public void GivenAgentWaitingAndCustomerRinging_WhenTheAgentGivesUp_ThenCallEndsAsCancelled() =>
        Spec.Given([.. AgentWaiting, new CallEvent.DialingStarted(CallId, 1, LineId, "+861088886666", At(4)), new CallEvent.RingingStarted(CallId, At(6))])
            .When(new CallCommand.HangUp(CallId, HangUpParty.Seat, CloseReason.Normal, At(20)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Seat, CloseReason.Normal, CallOutcome.Cancelled, At(20)));

    [Fact]
    public void GivenCompletedCallback_WhenItEnds_ThenSeed001TimesCallLegAFirst()
    {
        var ended = Assert.IsType<Call.Ended>(Fold(
        [
            .. AgentWaiting,
            new CallEvent.DialingStarted(CallId, 1, LineId, "+861088886666", At(4)),
            new CallEvent.RingingStarted(CallId, At(6)),
            new CallEvent.Answered(CallId, At(10)),
            new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.Normal, CallOutcome.Answered, At(70)),
        ]));

        Assert.Equal(
            new TwoLegTimes(At(0), At(4), At(3), At(10), At(10), At(70), 60),
            ended.Info.Timeline.ToTwoLegTimes(CallDirection.Outbound));
    }
}
