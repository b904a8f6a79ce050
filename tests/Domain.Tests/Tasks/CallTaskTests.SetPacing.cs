using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenRunningTask_WhenPacingBecomesPredictiveWithTighterCap_ThenPacingIsSetLive() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.SetPacing(TaskId, new TaskPacing(TaskPacingMode.Predictive, null, 0.02m), T0.AddHours(1)))
            .Then(new CallTaskEvent.PacingSet(TaskId, new TaskPacing(TaskPacingMode.Predictive, null, 0.02m), T0.AddHours(1)))
            .ThenState(state => Assert.Equal(TaskPacingMode.Predictive, SetupOf(state).Pacing.Mode));

    [Fact]
    public void GivenDraft_WhenPowerPacingHasARatio_ThenPacingIsSet() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetPacing(TaskId, new TaskPacing(TaskPacingMode.Power, 2.5m, 0.03m), T0))
            .Then(new CallTaskEvent.PacingSet(TaskId, new TaskPacing(TaskPacingMode.Power, 2.5m, 0.03m), T0));

    [Fact]
    public void GivenDraft_WhenTheSamePacingIsSet_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetPacing(TaskId, TaskPacing.Default, T0))
            .ThenNothing();

    [Fact]
    public void GivenDraft_WhenPowerPacingHasNoRatio_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetPacing(TaskId, new TaskPacing(TaskPacingMode.Power, null, 0.03m), T0))
            .ThenThrows<DomainException>("task.invalid_pacing");

    [Fact]
    public void GivenDraft_WhenProgressivePacingHasARatio_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetPacing(TaskId, new TaskPacing(TaskPacingMode.Progressive, 2m, 0.03m), T0))
            .ThenThrows<DomainException>("task.invalid_pacing");

    [Fact]
    public void GivenDraft_WhenAbandonCapIsZero_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetPacing(TaskId, new TaskPacing(TaskPacingMode.Predictive, null, 0m), T0))
            .ThenThrows<DomainException>("task.invalid_pacing");

    [Fact]
    public void GivenDraft_WhenPacingModeIsUnknown_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetPacing(TaskId, new TaskPacing((TaskPacingMode)7, null, 0.03m), T0))
            .ThenThrows<DomainException>("task.invalid_pacing");
}
