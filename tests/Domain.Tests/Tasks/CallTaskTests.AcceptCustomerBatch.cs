using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenDraft_WhenAValidatedBatchIsAccepted_ThenCustomersCountTowardsTheTask() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.AcceptCustomerBatch(TaskId, Batch1, 100, 3, 2, T0.AddMinutes(3)))
            .Then(BatchAccepted)
            .ThenState(state =>
            {
                Assert.Equal(100, SetupOf(state).CustomerCount);
                Assert.Equal([Batch1], SetupOf(state).Batches);
            });

    [Fact]
    public void GivenRunningTask_WhenAnotherBatchIsAccepted_ThenCustomersAddUp() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.AcceptCustomerBatch(TaskId, Batch2, 50, 0, 0, T0.AddHours(1)))
            .Then(new CallTaskEvent.CustomerBatchAccepted(TaskId, Batch2, 50, 0, 0, T0.AddHours(1)))
            .ThenState(state => Assert.Equal(150, SetupOf(state).CustomerCount));

    [Fact]
    public void GivenAcceptedBatch_WhenAcceptedAgain_ThenNothingHappens() =>
        Spec.Given(Created, BatchAccepted)
            .When(new CallTaskCommand.AcceptCustomerBatch(TaskId, Batch1, 100, 3, 2, T0.AddMinutes(4)))
            .ThenNothing();

    [Fact]
    public void GivenDraft_WhenBatchCountsAreNegative_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.AcceptCustomerBatch(TaskId, Batch1, -1, 0, 0, T0))
            .ThenThrows<DomainException>("task.invalid_batch");

    [Fact]
    public void GivenCompletedTask_WhenABatchArrives_ThenRefusedAsClosed() =>
        Spec.Given(CompletedTask)
            .When(new CallTaskCommand.AcceptCustomerBatch(TaskId, Batch2, 10, 0, 0, T0.AddDays(2)))
            .ThenThrows<DomainException>("task.closed");
}
