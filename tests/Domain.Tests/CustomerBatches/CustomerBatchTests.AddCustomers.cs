using Aicc.Domain.Common;
using Aicc.Domain.CustomerBatches;

namespace Aicc.Domain.Tests.CustomerBatches;

public partial class CustomerBatchTests
{
    [Fact]
    public void GivenOpenBatch_WhenFirstChunkArrives_ThenCustomersAreAdded() =>
        Spec.Given(Opened)
            .When(new CustomerBatchCommand.AddCustomers(BatchId, 0, Chunk0, T0.AddSeconds(1)))
            .Then(Added0)
            .ThenState(state =>
            {
                var batch = Assert.IsType<CustomerBatch.Open>(state);
                Assert.Equal(2, batch.Count);
                Assert.Equal(1, batch.NextChunk);
                Assert.Contains("+861062345678", batch.Phones);
            });

    [Fact]
    public void GivenFirstChunk_WhenItIsRetriedAfterACrash_ThenNothingHappens() =>
        Spec.Given(Opened, Added0)
            .When(new CustomerBatchCommand.AddCustomers(BatchId, 0, Chunk0, T0.AddSeconds(9)))
            .ThenNothing();

    [Fact]
    public void GivenFirstChunk_WhenTheThirdArrivesBeforeTheSecond_ThenRefusedAsOutOfOrder() =>
        Spec.Given(Opened, Added0)
            .When(new CustomerBatchCommand.AddCustomers(BatchId, 2, Chunk1, T0.AddSeconds(2)))
            .ThenThrows<DomainException>("batch.chunk_out_of_order");

    [Fact]
    public void GivenFirstChunk_WhenTheNextRepeatsANumber_ThenRefusedAsDuplicate() =>
        Spec.Given(Opened, Added0)
            .When(new CustomerBatchCommand.AddCustomers(BatchId, 1, ValueList.Of(Customer(9, "+8613800000001")), T0))
            .ThenThrows<DomainException>("batch.duplicate_phone");

    [Fact]
    public void GivenOpenBatch_WhenAChunkListsANumberTwiceInDifferentForms_ThenRefusedAsDuplicate() =>
        Spec.Given(Opened)
            .When(new CustomerBatchCommand.AddCustomers(
                BatchId, 0, ValueList.Of(Customer(2, "010 6234 5678"), Customer(3, "+86 10 62345678")), T0))
            .ThenThrows<DomainException>("batch.duplicate_phone");

    [Fact]
    public void GivenOpenBatch_WhenAnEmptyChunkArrives_ThenRefused() =>
        Spec.Given(Opened)
            .When(new CustomerBatchCommand.AddCustomers(BatchId, 0, ValueList<TaskCustomer>.Empty, T0))
            .ThenThrows<DomainException>("batch.empty_chunk");

    [Fact]
    public void GivenOpenBatch_WhenAChunkIsTooLarge_ThenRefused() =>
        Spec.Given(Opened)
            .When(new CustomerBatchCommand.AddCustomers(
                BatchId,
                0,
                Enumerable.Range(0, CustomerBatchDecider.MaxChunkSize + 1)
                    .Select(i => Customer(i + 2, $"138{i:D8}"))
                    .ToValueList(),
                T0))
            .ThenThrows<DomainException>("batch.chunk_too_large");

    [Fact]
    public void GivenSealedBatch_WhenAnOldChunkIsRetried_ThenNothingHappens() =>
        Spec.Given(Opened, Added0, Added1, SealedEvent)
            .When(new CustomerBatchCommand.AddCustomers(BatchId, 1, Chunk1, T0.AddSeconds(9)))
            .ThenNothing();

    [Fact]
    public void GivenSealedBatch_WhenANewChunkArrives_ThenRefusedAsSealed() =>
        Spec.Given(Opened, Added0, Added1, SealedEvent)
            .When(new CustomerBatchCommand.AddCustomers(BatchId, 2, ValueList.Of(Customer(7, "13700000007")), T0.AddSeconds(9)))
            .ThenThrows<DomainException>("batch.sealed");
}
