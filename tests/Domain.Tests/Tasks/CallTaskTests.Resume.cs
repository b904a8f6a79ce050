using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenPausedTask_WhenResumed_ThenTaskIsRunning() =>
        Spec.Given(Paused)
            .When(new CallTaskCommand.Resume(TaskId, T0.AddMinutes(50)))
            .Then(new CallTaskEvent.Resumed(TaskId, T0.AddMinutes(50)))
            .ThenState(state => Assert.Equal(T0.AddMinutes(50), Assert.IsType<CallTask.Running>(state).Since));

    [Fact]
    public void GivenRunningTask_WhenResumed_ThenNothingHappens() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.Resume(TaskId, T0.AddMinutes(50)))
            .ThenNothing();

    [Fact]
    public void GivenDraft_WhenResumed_ThenRefusedAsNotStarted() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.Resume(TaskId, T0.AddMinutes(50)))
            .ThenThrows<DomainException>("task.not_started");

    [Fact]
    public void GivenPausedTaskSwitchedToARobotWithAgentPacing_WhenResumed_ThenRefusedForPacing()
    {
        var refusal = Spec.Given([.. Paused, new CallTaskEvent.HandlerSet(TaskId, new TaskHandler.Robot(RobotId), T0.AddMinutes(6))])
            .When(new CallTaskCommand.Resume(TaskId, T0.AddMinutes(50)))
            .ThenThrows<TaskIncompleteException>("task.incomplete");
        Assert.Equal(["pacing"], refusal.Missing);
    }

    [Fact]
    public void GivenCancelledTask_WhenResumed_ThenRefusedAsClosed() =>
        Spec.Given(CancelledTask)
            .When(new CallTaskCommand.Resume(TaskId, T0.AddHours(2)))
            .ThenThrows<DomainException>("task.closed");
}
