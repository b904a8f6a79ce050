using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenDraft_WhenLineIsSet_ThenTaskUsesTheLine() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetLine(TaskId, LineId, T0.AddMinutes(1)))
            .Then(LineSet)
            .ThenState(state => Assert.Equal(LineId, SetupOf(state).LineId));

    [Fact]
    public void GivenDraftWithLine_WhenTheSameLineIsSet_ThenNothingHappens() =>
        Spec.Given(Created, LineSet)
            .When(new CallTaskCommand.SetLine(TaskId, LineId, T0.AddMinutes(2)))
            .ThenNothing();

    [Fact]
    public void GivenPausedTask_WhenLineChanges_ThenLineIsSet() =>
        Spec.Given(Paused)
            .When(new CallTaskCommand.SetLine(TaskId, OtherLineId, T0.AddMinutes(6)))
            .Then(new CallTaskEvent.LineSet(TaskId, OtherLineId, T0.AddMinutes(6)));

    [Fact]
    public void GivenRunningTask_WhenLineChanges_ThenRefusedAsRunning() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.SetLine(TaskId, OtherLineId, T0.AddMinutes(6)))
            .ThenThrows<DomainException>("task.running");

    [Fact]
    public void GivenDraft_WhenEmptyLineIdIsSet_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetLine(TaskId, Guid.Empty, T0.AddMinutes(1)))
            .ThenThrows<DomainException>("task.invalid_line");

    [Fact]
    public void GivenCancelledTask_WhenLineIsSet_ThenRefusedAsClosed() =>
        Spec.Given(CancelledTask)
            .When(new CallTaskCommand.SetLine(TaskId, LineId, T0.AddHours(2)))
            .ThenThrows<DomainException>("task.closed");
}
