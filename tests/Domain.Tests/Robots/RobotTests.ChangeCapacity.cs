using Aicc.Domain.Robots;

namespace Aicc.Domain.Tests.Robots;

public partial class RobotTests
{
    [Fact]
    public void GivenRobot_WhenCapacityChanges_ThenNewCapacityHolds() =>
        Spec.Given(Created)
            .When(new RobotCommand.ChangeCapacity(RobotId, 50, T0.AddDays(1)))
            .Then(new RobotEvent.CapacityChanged(RobotId, 50, T0.AddDays(1)))
            .ThenState(state => Assert.Equal(50, Assert.IsType<Robot.Active>(state).Capacity));

    [Fact]
    public void GivenRobot_WhenTheSameCapacityIsSet_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new RobotCommand.ChangeCapacity(RobotId, 20, T0.AddDays(1)))
            .ThenNothing();

    [Fact]
    public void GivenRobot_WhenCapacityIsNegative_ThenRefused() =>
        Spec.Given(Created)
            .When(new RobotCommand.ChangeCapacity(RobotId, -1, T0.AddDays(1)))
            .ThenThrows<DomainException>("robot.invalid_capacity");
}
