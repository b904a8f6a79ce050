using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenAnsweredCall_WhenQueuedForASkillGroup_ThenCallWaitsInTheQueue() =>
        Spec.Given(AnsweredCall)
            .When(new CallCommand.Queue(CallId, " sales ", At(11)))
            .Then(QueuedForSales)
            .ThenState(state => Assert.Equal("sales", StateIs<Call.Queued>(state).SkillGroup));

    [Fact]
    public void GivenInboundCall_WhenQueuedBeforeAnswer_ThenCallerHearsRingbackWhileQueued() =>
        Spec.Given(Inbound)
            .When(new CallCommand.Queue(CallId, "support", At(1)))
            .Then(new CallEvent.Queued(CallId, "support", At(1)))
            .ThenState(state => Assert.False(InfoOf(StateIs<Call.Queued>(state)).Timeline.CustomerAnswered));

    [Fact]
    public void GivenQueuedCall_WhenQueuedAgainForTheSameGroup_ThenNothingHappens() =>
        Spec.Given(Queued)
            .When(new CallCommand.Queue(CallId, "sales", At(12)))
            .ThenNothing();

    [Fact]
    public void GivenQueuedCall_WhenQueuedForAnotherGroup_ThenRefused() =>
        Spec.Given(Queued)
            .When(new CallCommand.Queue(CallId, "vip", At(12)))
            .ThenThrows<DomainException>("call.already_queued");

    [Fact]
    public void GivenCallWithRobot_WhenQueued_ThenRefusedInFavourOfATransfer() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.Queue(CallId, "sales", At(12)))
            .ThenThrows<DomainException>("call.already_with_seat");

    [Fact]
    public void GivenRingingCall_WhenQueued_ThenRefusedAsNotAnswered() =>
        Spec.Given(Ringing)
            .When(new CallCommand.Queue(CallId, "sales", At(5)))
            .ThenThrows<DomainException>("call.not_answered");

    [Fact]
    public void GivenAnsweredCall_WhenQueuedWithoutGroup_ThenRefused() =>
        Spec.Given(AnsweredCall)
            .When(new CallCommand.Queue(CallId, "", At(11)))
            .ThenThrows<DomainException>("call.skill_group_required");
}
