using Aicc.Domain.Robots;

namespace Aicc.Domain.Tests.Robots;

public partial class RobotTests
{
    [Fact]
    public void GivenNoRobot_WhenCreatedWithScriptVoiceAndCapacity_ThenRobotIsActive() =>
        Spec.When(new RobotCommand.Create(RobotId, TenantId, " Xiaomei ", V1, " cmn-latn-pinyin ", 20, T0))
            .Then(Created)
            .ThenState(state => Assert.Equal(
                new Robot.Active(RobotId, TenantId, "Xiaomei", V1, "cmn-latn-pinyin", 20), state));

    [Fact]
    public void GivenRobot_WhenCreatedAgainWithTheSameName_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new RobotCommand.Create(RobotId, TenantId, "Xiaomei", V1, "cmn-latn-pinyin", 20, T0))
            .ThenNothing();

    [Fact]
    public void GivenRobot_WhenCreatedAgainWithAnotherName_ThenRefused() =>
        Spec.Given(Created)
            .When(new RobotCommand.Create(RobotId, TenantId, "Other", V1, "kal16", 2, T0))
            .ThenThrows<DomainException>("robot.already_exists");

    [Fact]
    public void GivenNoRobot_WhenCreatedWithoutName_ThenRefused() =>
        Spec.When(new RobotCommand.Create(RobotId, TenantId, "", V1, "kal16", 2, T0))
            .ThenThrows<DomainException>("robot.name_required");

    [Fact]
    public void GivenNoRobot_WhenCreatedWithVersionZero_ThenRefused() =>
        Spec.When(new RobotCommand.Create(RobotId, TenantId, "Bot", new ScriptVersion(ScriptId, 0), "kal16", 2, T0))
            .ThenThrows<DomainException>("robot.invalid_script");

    [Fact]
    public void GivenNoRobot_WhenCreatedWithoutVoice_ThenRefused() =>
        Spec.When(new RobotCommand.Create(RobotId, TenantId, "Bot", V1, " ", 2, T0))
            .ThenThrows<DomainException>("robot.voice_required");

    [Fact]
    public void GivenNoRobot_WhenCreatedWithZeroCapacity_ThenRefused() =>
        Spec.When(new RobotCommand.Create(RobotId, TenantId, "Bot", V1, "kal16", 0, T0))
            .ThenThrows<DomainException>("robot.invalid_capacity");

    [Fact]
    public void GivenNoRobot_WhenItsVoiceChanges_ThenRefusedAsNotFound() =>
        Spec.When(new RobotCommand.ChangeVoice(RobotId, "kal16", T0))
            .ThenThrows<DomainException>("robot.not_found");
}
