using Aicc.Domain.CustomerBatches;

namespace Aicc.Domain.Tests.CustomerBatches;

public partial class CustomerBatchTests
{
    [Fact]
    public void GivenBatchWithTwoChunks_WhenSealed_ThenAcceptedIsTheNumberOfCustomersAdded() =>
        Spec.Given(Opened, Added0, Added1)
            .When(new CustomerBatchCommand.Seal(BatchId, 1, 0, T0.AddSeconds(3)))
            .Then(SealedEvent)
            .ThenState(state => Assert.Equal(3, Assert.IsType<CustomerBatch.Sealed>(state).Accepted));

    [Fact]
    public void GivenBatchWhereEveryRowWasBad_WhenSealed_ThenItIsSealedWithNoneAccepted() =>
        Spec.Given(Opened)
            .When(new CustomerBatchCommand.Seal(BatchId, 12, 3, T0.AddSeconds(3)))
            .Then(new CustomerBatchEvent.Sealed(BatchId, TaskId, 0, 12, 3, T0.AddSeconds(3)));

    [Fact]
    public void GivenSealedBatch_WhenSealedAgain_ThenNothingHappens() =>
        Spec.Given(Opened, Added0, Added1, SealedEvent)
            .When(new CustomerBatchCommand.Seal(BatchId, 1, 0, T0.AddSeconds(4)))
            .ThenNothing();

    [Fact]
    public void GivenOpenBatch_WhenSealedWithNegativeCounts_ThenRefused() =>
        Spec.Given(Opened)
            .When(new CustomerBatchCommand.Seal(BatchId, -1, 0, T0.AddSeconds(3)))
            .ThenThrows<DomainException>("batch.invalid_counts");

    [Fact]
    public void GivenDiscardedBatch_WhenSealed_ThenRefusedAsDiscarded() =>
        Spec.Given(Opened, new CustomerBatchEvent.Discarded(BatchId, "import aborted", T0.AddSeconds(2)))
            .When(new CustomerBatchCommand.Seal(BatchId, 0, 0, T0.AddSeconds(3)))
            .ThenThrows<DomainException>("batch.discarded");
}
