using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenCallWithRobot_WhenTheRobotHandsOverToAGroup_ThenCallIsQueuedAndConnectionTimeIsKept() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.Transfer(CallId, new TransferTarget.ToSkillGroup(" sales "), "transfer_to_human", At(40)))
            .Then(new CallEvent.Transferred(CallId, new TransferTarget.ToSkillGroup("sales"), "transfer_to_human", At(40)))
            .ThenState(state =>
            {
                var queued = StateIs<Call.Queued>(state);
                Assert.Equal("sales", queued.SkillGroup);
                Assert.Equal(At(11), queued.Info.Timeline.ConnectedAt);
                Assert.Equal(RobotId, queued.Info.RobotId);
            });

    [Fact]
    public void GivenCallWithAgent_WhenTransferredToAColleague_ThenTheColleagueIsOffered() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.Transfer(CallId, new TransferTarget.ToAgent(OtherAgentId), "", At(40)))
            .Then(new CallEvent.Transferred(CallId, new TransferTarget.ToAgent(OtherAgentId), "transfer", At(40)))
            .ThenState(state => Assert.Equal(OtherAgentId, StateIs<Call.Offered>(state).AgentId));

    [Fact]
    public void GivenTransferredCall_WhenTheTransferIsRepeated_ThenNothingHappens() =>
        Spec.Given([.. WithRobot, new CallEvent.Transferred(CallId, new TransferTarget.ToSkillGroup("sales"), "x", At(40))])
            .When(new CallCommand.Transfer(CallId, new TransferTarget.ToSkillGroup("sales"), "x", At(41)))
            .ThenNothing();

    [Fact]
    public void GivenCallWithAgent_WhenTransferredToThatSameAgent_ThenRefused() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.Transfer(CallId, new TransferTarget.ToAgent(AgentId), "x", At(40)))
            .ThenThrows<DomainException>("call.invalid_transfer");

    [Fact]
    public void GivenCallWithRobot_WhenTransferredToABlankGroup_ThenRefused() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.Transfer(CallId, new TransferTarget.ToSkillGroup(" "), "x", At(40)))
            .ThenThrows<DomainException>("call.invalid_transfer");

    [Fact]
    public void GivenAnsweredCallWithoutSeat_WhenTransferred_ThenRefusedAsNoSeat() =>
        Spec.Given(AnsweredCall)
            .When(new CallCommand.Transfer(CallId, new TransferTarget.ToSkillGroup("sales"), "x", At(40)))
            .ThenThrows<DomainException>("call.no_seat");
}
