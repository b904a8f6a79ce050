using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

/// <summary>After a robot hands a call to an agent, the connect time stays the robot's and the agent's moment is kept beside it.</summary>
public partial class CallTests
{
    [Fact]
    public void GivenARobotCallOfferedToAnAgent_WhenTheAgentConnects_ThenConnectTimeIsTheRobotsAndTheAgentsTimeIsKept() =>
        Spec.Given([.. WithRobot, QueuedForSales, OfferedToAgent])
            .When(new CallCommand.ConnectAgent(CallId, AgentId, At(15)))
            .Then(AgentConnected)
            .ThenState(state =>
            {
                var timeline = InfoOf(StateIs<Call.WithAgent>(state)).Timeline;
                Assert.Equal(At(11), timeline.ConnectedAt);
                Assert.Equal(At(15), timeline.AgentConnectedAt);
            });

    [Fact]
    public void GivenAnAgentCallTransferredToAnotherAgent_WhenTheSecondConnects_ThenTheFirstAgentsTimeStays() =>
        Spec.Given([.. AnsweredCall, OfferedToAgent, AgentConnected,
                new CallEvent.Transferred(CallId, new TransferTarget.ToAgent(OtherAgentId), "specialist", At(30)),
                new CallEvent.OfferedToAgent(CallId, OtherAgentId, At(30))])
            .When(new CallCommand.ConnectAgent(CallId, OtherAgentId, At(33)))
            .Then(new CallEvent.ConnectedToAgent(CallId, OtherAgentId, At(33)))
            .ThenState(state => Assert.Equal(At(15), InfoOf(StateIs<Call.WithAgent>(state)).Timeline.AgentConnectedAt));

    [Fact]
    public void GivenARobotCall_WhenNoAgentEverTakesIt_ThenThereIsNoAgentConnectTime() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.HangUp(CallId, HangUpParty.Customer, CloseReason.Normal, At(40)))
            .Then(new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.Normal, CallOutcome.Answered, At(40)))
            .ThenState(state => Assert.Null(InfoOf(StateIs<Call.Ended>(state)).Timeline.AgentConnectedAt));
}
