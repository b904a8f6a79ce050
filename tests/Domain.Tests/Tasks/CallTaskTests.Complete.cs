using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenRunningTask_WhenCompleted_ThenTaskIsCompleted() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.Complete(TaskId, T0.AddDays(1)))
            .Then(new CallTaskEvent.Completed(TaskId, T0.AddDays(1)))
            .ThenState(state => Assert.IsType<CallTask.Completed>(state));

    [Fact]
    public void GivenPausedTask_WhenCompleted_ThenTaskIsCompleted() =>
        Spec.Given(Paused)
            .When(new CallTaskCommand.Complete(TaskId, T0.AddDays(1)))
            .Then(new CallTaskEvent.Completed(TaskId, T0.AddDays(1)))
            .ThenState(state => Assert.IsType<CallTask.Completed>(state));

    [Fact]
    public void GivenCompletedTask_WhenCompletedAgain_ThenNothingHappens() =>
        Spec.Given(CompletedTask)
            .When(new CallTaskCommand.Complete(TaskId, T0.AddDays(2)))
            .ThenNothing();

    [Fact]
    public void GivenDraft_WhenCompleted_ThenRefusedAsNotStarted() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.Complete(TaskId, T0.AddDays(1)))
            .ThenThrows<DomainException>("task.not_started");

    [Fact]
    public void GivenCancelledTask_WhenCompleted_ThenRefusedAsClosed() =>
        Spec.Given(CancelledTask)
            .When(new CallTaskCommand.Complete(TaskId, T0.AddDays(1)))
            .ThenThrows<DomainException>("task.closed");
}
