using Aicc.Domain.CustomerBatches;

namespace Aicc.Domain.Tests.CustomerBatches;

public partial class CustomerBatchTests
{
    [Fact]
    public void GivenNoBatch_WhenAnUploadStarts_ThenBatchIsOpenAndEmpty() =>
        Spec.When(new CustomerBatchCommand.Open(BatchId, TaskId, TenantId, " renewals.csv ", T0))
            .Then(Opened)
            .ThenState(state => Assert.Equal(0, Assert.IsType<CustomerBatch.Open>(state).Count));

    [Fact]
    public void GivenNoBatch_WhenOpenedWithoutSourceName_ThenSourceIsUpload() =>
        Spec.When(new CustomerBatchCommand.Open(BatchId, TaskId, TenantId, "", T0))
            .Then(new CustomerBatchEvent.Opened(BatchId, TaskId, TenantId, "upload", T0));

    [Fact]
    public void GivenOpenBatch_WhenOpenedAgainForTheSameTask_ThenNothingHappens() =>
        Spec.Given(Opened)
            .When(new CustomerBatchCommand.Open(BatchId, TaskId, TenantId, "renewals.csv", T0))
            .ThenNothing();

    [Fact]
    public void GivenOpenBatch_WhenOpenedForAnotherTask_ThenRefused() =>
        Spec.Given(Opened)
            .When(new CustomerBatchCommand.Open(BatchId, OtherTaskId, TenantId, "renewals.csv", T0))
            .ThenThrows<DomainException>("batch.already_exists");

    [Fact]
    public void GivenNoBatch_WhenCustomersAreAdded_ThenRefusedAsNotFound() =>
        Spec.When(new CustomerBatchCommand.AddCustomers(BatchId, 0, Chunk0, T0))
            .ThenThrows<DomainException>("batch.not_found");
}
