using Aicc.Domain.Robots;

namespace Aicc.Domain.Tests.Robots;

public partial class RobotTests
{
    private static readonly Guid LineId = Guid.Parse("0195a000-0000-7000-8000-00000001e001");

    [Fact]
    public void GivenRobot_WhenANumberIsAssigned_ThenCallsToItReachTheRobot() =>
        Spec.Given(Created)
            .When(new RobotCommand.AssignInboundNumber(RobotId, " +862160000001 ", LineId, " sales ", T0.AddDays(1)))
            .Then(new RobotEvent.InboundNumberAssigned(RobotId, "+862160000001", LineId, "sales", T0.AddDays(1)))
            .ThenState(state => Assert.Equal(
                new InboundNumber("+862160000001", LineId, "sales"), Assert.IsType<Robot.Active>(state).Inbound));

    [Fact]
    public void GivenRobotWithANumber_WhenTheSameNumberIsAssignedAgain_ThenNothingHappens() =>
        Spec.Given(Created, new RobotEvent.InboundNumberAssigned(RobotId, "4008001234", LineId, null, T0.AddDays(1)))
            .When(new RobotCommand.AssignInboundNumber(RobotId, "4008001234", LineId, " ", T0.AddDays(2)))
            .ThenNothing();

    [Theory]
    [InlineData("")]
    [InlineData("400-800")]
    [InlineData("12+34")]
    [InlineData("sip:robot")]
    public void GivenRobot_WhenTheNumberIsNotDigits_ThenRefused(string number) =>
        Spec.Given(Created)
            .When(new RobotCommand.AssignInboundNumber(RobotId, number, LineId, null, T0.AddDays(1)))
            .ThenThrows<DomainException>("robot.invalid_number");

    [Fact]
    public void GivenRetiredRobot_WhenANumberIsAssigned_ThenRefused() =>
        Spec.Given(Created, Retired)
            .When(new RobotCommand.AssignInboundNumber(RobotId, "4008001234", LineId, null, T0.AddDays(10)))
            .ThenThrows<DomainException>("robot.retired");
}
