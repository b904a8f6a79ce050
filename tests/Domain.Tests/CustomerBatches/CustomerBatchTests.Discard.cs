using Aicc.Domain.CustomerBatches;

namespace Aicc.Domain.Tests.CustomerBatches;

public partial class CustomerBatchTests
{
    [Fact]
    public void GivenOpenBatch_WhenTheImportIsAbandoned_ThenBatchIsDiscarded() =>
        Spec.Given(Opened, Added0)
            .When(new CustomerBatchCommand.Discard(BatchId, " ", T0.AddSeconds(2)))
            .Then(new CustomerBatchEvent.Discarded(BatchId, "import aborted", T0.AddSeconds(2)))
            .ThenState(state => Assert.IsType<CustomerBatch.Discarded>(state));

    [Fact]
    public void GivenDiscardedBatch_WhenDiscardedAgain_ThenNothingHappens() =>
        Spec.Given(Opened, new CustomerBatchEvent.Discarded(BatchId, "import aborted", T0.AddSeconds(2)))
            .When(new CustomerBatchCommand.Discard(BatchId, "again", T0.AddSeconds(3)))
            .ThenNothing();

    [Fact]
    public void GivenSealedBatch_WhenDiscarded_ThenRefusedAsSealed() =>
        Spec.Given(Opened, Added0, Added1, SealedEvent)
            .When(new CustomerBatchCommand.Discard(BatchId, "oops", T0.AddSeconds(4)))
            .ThenThrows<DomainException>("batch.sealed");

    [Fact]
    public void GivenDiscardedBatch_WhenCustomersArrive_ThenRefusedAsDiscarded() =>
        Spec.Given(Opened, new CustomerBatchEvent.Discarded(BatchId, "import aborted", T0.AddSeconds(2)))
            .When(new CustomerBatchCommand.AddCustomers(BatchId, 0, Chunk0, T0.AddSeconds(3)))
            .ThenThrows<DomainException>("batch.discarded");
}
