using Aicc.Domain.Common;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Tests.Specs;

namespace Aicc.Domain.Tests.CustomerBatches;

public partial class CustomerBatchTests
{
    private static readonly Spec<CustomerBatch, CustomerBatchEvent, CustomerBatchCommand> Spec =
        new(CustomerBatchDecider.Definition);

    private static readonly Guid BatchId = Guid.Parse("0195a000-0000-7000-8000-0000000ba001");
    private static readonly Guid TaskId = Guid.Parse("0195a000-0000-7000-8000-00000000f001");
    private static readonly Guid OtherTaskId = Guid.Parse("0195a000-0000-7000-8000-00000000f002");
    private static readonly Guid TenantId = Guid.Parse("0195a000-0000-7000-8000-000000000001");
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static readonly CustomerBatchEvent Opened =
        new CustomerBatchEvent.Opened(BatchId, TaskId, TenantId, "renewals.csv", T0);

    private static TaskCustomer Customer(int row, string phone) =>
        new(new Guid(row, 0, 0, new byte[8]), row, PhoneNumber.Parse(phone), ValueMap.Of(("name", $"customer {row}")));

    private static readonly ValueList<TaskCustomer> Chunk0 =
        ValueList.Of(Customer(2, "13800000001"), Customer(3, "010-62345678"));

    private static readonly ValueList<TaskCustomer> Chunk1 = ValueList.Of(Customer(5, "+86 139 0000 0002"));

    private static readonly CustomerBatchEvent Added0 = new CustomerBatchEvent.CustomersAdded(BatchId, 0, Chunk0, T0.AddSeconds(1));

    private static readonly CustomerBatchEvent Added1 = new CustomerBatchEvent.CustomersAdded(BatchId, 1, Chunk1, T0.AddSeconds(2));

    private static readonly CustomerBatchEvent SealedEvent =
        new CustomerBatchEvent.Sealed(BatchId, TaskId, 3, 1, 0, T0.AddSeconds(3));
}
