using Aicc.Domain.Robots;

namespace Aicc.Domain.Tests.Robots;

public partial class RobotTests
{
    [Fact]
    public void GivenRobot_WhenANewScriptVersionIsPinned_ThenNewCallsUseIt() =>
        Spec.Given(Created)
            .When(new RobotCommand.PinScript(RobotId, new ScriptVersion(ScriptId, 2), T0.AddDays(1)))
            .Then(new RobotEvent.ScriptPinned(RobotId, new ScriptVersion(ScriptId, 2), T0.AddDays(1)))
            .ThenState(state => Assert.Equal(2, Assert.IsType<Robot.Active>(state).Script.Version));

    [Fact]
    public void GivenRobot_WhenTheSameVersionIsPinnedAgain_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new RobotCommand.PinScript(RobotId, V1, T0.AddDays(1)))
            .ThenNothing();

    [Fact]
    public void GivenRobot_WhenAnEmptyScriptIdIsPinned_ThenRefused() =>
        Spec.Given(Created)
            .When(new RobotCommand.PinScript(RobotId, new ScriptVersion(Guid.Empty, 3), T0.AddDays(1)))
            .ThenThrows<DomainException>("robot.invalid_script");

    [Fact]
    public void GivenRetiredRobot_WhenAScriptIsPinned_ThenRefusedAsRetired() =>
        Spec.Given(Created, Retired)
            .When(new RobotCommand.PinScript(RobotId, new ScriptVersion(ScriptId, 2), T0.AddDays(10)))
            .ThenThrows<DomainException>("robot.retired");
}
