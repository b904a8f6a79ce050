using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenRunningTask_WhenRenamed_ThenNameChanges() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.Rename(TaskId, " Renewals wave 2 ", T0.AddHours(1)))
            .Then(new CallTaskEvent.Renamed(TaskId, "Renewals wave 2", T0.AddHours(1)))
            .ThenState(state => Assert.Equal("Renewals wave 2", SetupOf(state).Name));

    [Fact]
    public void GivenTask_WhenRenamedToItsName_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.Rename(TaskId, "November renewals", T0.AddHours(1)))
            .ThenNothing();

    [Fact]
    public void GivenTask_WhenRenamedToBlank_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.Rename(TaskId, "", T0.AddHours(1)))
            .ThenThrows<DomainException>("task.name_required");

    [Fact]
    public void GivenCompletedTask_WhenRenamed_ThenRefusedAsClosed() =>
        Spec.Given(CompletedTask)
            .When(new CallTaskCommand.Rename(TaskId, "x", T0.AddDays(2)))
            .ThenThrows<DomainException>("task.closed");
}
