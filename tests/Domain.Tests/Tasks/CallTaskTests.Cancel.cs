using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenDraft_WhenCancelled_ThenTaskIsCancelledWithTheReason() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.Cancel(TaskId, "wrong list", T0.AddHours(1)))
            .Then(new CallTaskEvent.Cancelled(TaskId, "wrong list", T0.AddHours(1)))
            .ThenState(state => Assert.Equal("wrong list", Assert.IsType<CallTask.Cancelled>(state).Reason));

    [Fact]
    public void GivenRunningTask_WhenCancelled_ThenTaskIsCancelled() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.Cancel(TaskId, "complaint", T0.AddHours(1)))
            .Then(new CallTaskEvent.Cancelled(TaskId, "complaint", T0.AddHours(1)));

    [Fact]
    public void GivenPausedTask_WhenCancelled_ThenTaskIsCancelled() =>
        Spec.Given(Paused)
            .When(new CallTaskCommand.Cancel(TaskId, "", T0.AddHours(1)))
            .Then(new CallTaskEvent.Cancelled(TaskId, "operator", T0.AddHours(1)))
            .ThenState(state => Assert.IsType<CallTask.Cancelled>(state));

    [Fact]
    public void GivenCancelledTask_WhenCancelledAgain_ThenNothingHappens() =>
        Spec.Given(CancelledTask)
            .When(new CallTaskCommand.Cancel(TaskId, "again", T0.AddHours(2)))
            .ThenNothing();

    [Fact]
    public void GivenCompletedTask_WhenCancelled_ThenRefusedAsClosed() =>
        Spec.Given(CompletedTask)
            .When(new CallTaskCommand.Cancel(TaskId, "late", T0.AddDays(2)))
            .ThenThrows<DomainException>("task.closed");
}
