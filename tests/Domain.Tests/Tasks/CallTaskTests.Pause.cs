using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenRunningTask_WhenPaused_ThenTaskIsPausedWithTheReason() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.Pause(TaskId, " lunch ", T0.AddMinutes(5)))
            .Then(PausedEvent)
            .ThenState(state => Assert.Equal("lunch", Assert.IsType<CallTask.Paused>(state).Reason));

    [Fact]
    public void GivenRunningTask_WhenPausedWithoutReason_ThenReasonIsOperator() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.Pause(TaskId, "", T0.AddMinutes(5)))
            .Then(new CallTaskEvent.Paused(TaskId, "operator", T0.AddMinutes(5)));

    [Fact]
    public void GivenPausedTask_WhenPausedAgain_ThenNothingHappens() =>
        Spec.Given(Paused)
            .When(new CallTaskCommand.Pause(TaskId, "lunch", T0.AddMinutes(6)))
            .ThenNothing();

    [Fact]
    public void GivenDraft_WhenPaused_ThenRefusedAsNotStarted() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.Pause(TaskId, "lunch", T0.AddMinutes(6)))
            .ThenThrows<DomainException>("task.not_started");

    [Fact]
    public void GivenCompletedTask_WhenPaused_ThenRefusedAsClosed() =>
        Spec.Given(CompletedTask)
            .When(new CallTaskCommand.Pause(TaskId, "lunch", T0.AddDays(2)))
            .ThenThrows<DomainException>("task.closed");
}
