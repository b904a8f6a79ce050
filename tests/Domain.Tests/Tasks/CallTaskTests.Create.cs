using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenNoTask_WhenCreatedWithOnlyAName_ThenDraftHasDefaultWindowsPacingAndRetries() =>
        Spec.When(new CallTaskCommand.Create(TaskId, TenantId, " November renewals ", OperatorId, T0))
            .Then(Created)
            .ThenState(state =>
            {
                var setup = SetupOf(Assert.IsType<CallTask.Draft>(state));
                Assert.Equal(Windows((9, 12), (14, 18)), setup.Windows);
                Assert.Equal(TaskPacingMode.Progressive, setup.Pacing.Mode);
                Assert.Equal(0.03m, setup.Pacing.AbandonCap);
                Assert.Null(setup.LineId);
                Assert.Equal(0, setup.CustomerCount);
            });

    [Fact]
    public void GivenTask_WhenCreatedAgainWithTheSameName_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.Create(TaskId, TenantId, "November renewals", OperatorId, T0.AddSeconds(1)))
            .ThenNothing();

    [Fact]
    public void GivenTask_WhenCreatedAgainWithAnotherName_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.Create(TaskId, TenantId, "December", OperatorId, T0))
            .ThenThrows<DomainException>("task.already_exists");

    [Fact]
    public void GivenNoTask_WhenCreatedWithoutName_ThenRefused() =>
        Spec.When(new CallTaskCommand.Create(TaskId, TenantId, "  ", OperatorId, T0))
            .ThenThrows<DomainException>("task.name_required");

    [Fact]
    public void GivenNoTask_WhenStarted_ThenRefusedAsNotFound() =>
        Spec.When(new CallTaskCommand.Start(TaskId, T0))
            .ThenThrows<DomainException>("task.not_found");
}
