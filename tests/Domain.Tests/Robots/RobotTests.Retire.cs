using Aicc.Domain.Robots;

namespace Aicc.Domain.Tests.Robots;

public partial class RobotTests
{
    [Fact]
    public void GivenRobot_WhenRetired_ThenRobotIsRetired() =>
        Spec.Given(Created)
            .When(new RobotCommand.Retire(RobotId, T0.AddDays(9)))
            .Then(Retired)
            .ThenState(state => Assert.IsType<Robot.Retired>(state));

    [Fact]
    public void GivenRetiredRobot_WhenRetiredAgain_ThenNothingHappens() =>
        Spec.Given(Created, Retired)
            .When(new RobotCommand.Retire(RobotId, T0.AddDays(10)))
            .ThenNothing();

    [Fact]
    public void GivenRetiredRobot_WhenCreatedAgain_ThenRefused() =>
        Spec.Given(Created, Retired)
            .When(new RobotCommand.Create(RobotId, TenantId, "Xiaomei", V1, "cmn-latn-pinyin", 20, T0))
            .ThenThrows<DomainException>("robot.already_exists");
}
