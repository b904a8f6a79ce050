using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenCompleteDraft_WhenStarted_ThenTaskIsRunning() =>
        Spec.Given(Complete)
            .When(new CallTaskCommand.Start(TaskId, T0.AddMinutes(4)))
            .Then(Started)
            .ThenState(state => Assert.IsType<CallTask.Running>(state));

    [Fact]
    public void GivenNameOnlyDraft_WhenStarted_ThenRefusalListsLineHandlerAndCustomers()
    {
        var refusal = Spec.Given(Created)
            .When(new CallTaskCommand.Start(TaskId, T0.AddMinutes(4)))
            .ThenThrows<TaskIncompleteException>("task.incomplete");
        Assert.Equal(["line", "handler", "customers"], refusal.Missing);
    }

    [Fact]
    public void GivenDraftWithoutCustomers_WhenStarted_ThenRefusalListsOnlyCustomers()
    {
        var refusal = Spec.Given(Created, LineSet, HandlerSet)
            .When(new CallTaskCommand.Start(TaskId, T0.AddMinutes(4)))
            .ThenThrows<TaskIncompleteException>("task.incomplete");
        Assert.Equal(["customers"], refusal.Missing);
    }

    [Fact]
    public void GivenDraftWithOnlyAnEmptyBatch_WhenStarted_ThenRefusedForMissingCustomers()
    {
        var refusal = Spec.Given(Created, LineSet, HandlerSet, new CallTaskEvent.CustomerBatchAccepted(TaskId, Batch1, 0, 7, 0, T0))
            .When(new CallTaskCommand.Start(TaskId, T0.AddMinutes(4)))
            .ThenThrows<TaskIncompleteException>("task.incomplete");
        Assert.Equal(["customers"], refusal.Missing);
    }

    [Fact]
    public void GivenRobotTaskWithProgressivePacing_WhenStarted_ThenRefusedForPacing()
    {
        var refusal = Spec.Given(Created, LineSet, BatchAccepted, new CallTaskEvent.HandlerSet(TaskId, new TaskHandler.Robot(RobotId), T0))
            .When(new CallTaskCommand.Start(TaskId, T0.AddMinutes(4)))
            .ThenThrows<TaskIncompleteException>("task.incomplete");
        Assert.Equal(["pacing"], refusal.Missing);
    }

    [Fact]
    public void GivenAgentTaskWithAgentlessPacing_WhenStarted_ThenRefusedForPacing() =>
        Spec.Given([.. Complete, new CallTaskEvent.PacingSet(TaskId, new TaskPacing(TaskPacingMode.Agentless, null, 0.03m), T0)])
            .When(new CallTaskCommand.Start(TaskId, T0.AddMinutes(4)))
            .ThenThrows<TaskIncompleteException>("task.incomplete");

    [Fact]
    public void GivenRobotThenAgentTaskWithAgentlessPacing_WhenStarted_ThenTaskIsRunning() =>
        Spec.Given(
                Created,
                LineSet,
                BatchAccepted,
                new CallTaskEvent.HandlerSet(TaskId, new TaskHandler.RobotThenAgent(RobotId, "sales"), T0),
                new CallTaskEvent.PacingSet(TaskId, new TaskPacing(TaskPacingMode.Agentless, null, 0.03m), T0))
            .When(new CallTaskCommand.Start(TaskId, T0.AddMinutes(4)))
            .Then(new CallTaskEvent.Started(TaskId, T0.AddMinutes(4)));

    [Fact]
    public void GivenRunningTask_WhenStartIsRetried_ThenNothingHappens() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.Start(TaskId, T0.AddMinutes(5)))
            .ThenNothing();

    [Fact]
    public void GivenPausedTask_WhenStarted_ThenRefusedAsPaused() =>
        Spec.Given(Paused)
            .When(new CallTaskCommand.Start(TaskId, T0.AddMinutes(6)))
            .ThenThrows<DomainException>("task.paused");

    [Fact]
    public void GivenCancelledTask_WhenStarted_ThenRefusedAsClosed() =>
        Spec.Given(CancelledTask)
            .When(new CallTaskCommand.Start(TaskId, T0.AddHours(2)))
            .ThenThrows<DomainException>("task.closed");
}
