using Aicc.Domain.Robots;

namespace Aicc.Domain.Tests.Robots;

public partial class RobotTests
{
    [Fact]
    public void GivenRobot_WhenVoiceChanges_ThenRobotSpeaksWithTheNewVoice() =>
        Spec.Given(Created)
            .When(new RobotCommand.ChangeVoice(RobotId, " slt ", T0.AddDays(1)))
            .Then(new RobotEvent.VoiceChanged(RobotId, "slt", T0.AddDays(1)))
            .ThenState(state => Assert.Equal("slt", Assert.IsType<Robot.Active>(state).Voice));

    [Fact]
    public void GivenRobot_WhenTheSameVoiceIsSet_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new RobotCommand.ChangeVoice(RobotId, "cmn-latn-pinyin", T0.AddDays(1)))
            .ThenNothing();

    [Fact]
    public void GivenRobot_WhenVoiceIsBlank_ThenRefused() =>
        Spec.Given(Created)
            .When(new RobotCommand.ChangeVoice(RobotId, "", T0.AddDays(1)))
            .ThenThrows<DomainException>("robot.voice_required");
}
