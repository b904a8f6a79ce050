using Aicc.Domain.Calls;
using Aicc.Domain.Robots;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenAnsweredCall_WhenARobotTakesIt_ThenRobotTalksWithThePinnedScriptVersion() =>
        Spec.Given(AnsweredCall)
            .When(new CallCommand.ConnectRobot(CallId, RobotId, Script, At(11)))
            .Then(RobotConnected)
            .ThenState(state =>
            {
                var info = InfoOf(StateIs<Call.WithRobot>(state));
                Assert.Equal((RobotId, Script), (info.RobotId, info.Script));
                Assert.Equal(At(11), info.Timeline.ConnectedAt);
            });

    [Fact]
    public void GivenInboundCall_WhenARobotTakesIt_ThenTheCallIsAnsweredAndConnected() =>
        Spec.Given(Inbound)
            .When(new CallCommand.ConnectRobot(CallId, RobotId, Script, At(1)))
            .Then(new CallEvent.Answered(CallId, At(1)), new CallEvent.ConnectedToRobot(CallId, RobotId, Script, At(1)))
            .ThenState(state => StateIs<Call.WithRobot>(state));

    [Fact]
    public void GivenCallWithRobot_WhenTheSameRobotConnectsAgain_ThenNothingHappens() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.ConnectRobot(CallId, RobotId, Script, At(12)))
            .ThenNothing();

    [Fact]
    public void GivenCallWithAgent_WhenARobotConnects_ThenRefused() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.ConnectRobot(CallId, RobotId, Script, At(20)))
            .ThenThrows<DomainException>("call.already_with_seat");

    [Fact]
    public void GivenRingingCall_WhenARobotConnects_ThenRefusedAsNotAnswered() =>
        Spec.Given(Ringing)
            .When(new CallCommand.ConnectRobot(CallId, RobotId, Script, At(5)))
            .ThenThrows<DomainException>("call.not_answered");

    [Fact]
    public void GivenAnsweredCall_WhenTheScriptVersionIsZero_ThenRefused() =>
        Spec.Given(AnsweredCall)
            .When(new CallCommand.ConnectRobot(CallId, RobotId, Script with { Version = 0 }, At(11)))
            .ThenThrows<DomainException>("call.invalid_robot");
}
