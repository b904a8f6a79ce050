using Aicc.Domain.Common;

namespace Aicc.Domain.CustomerBatches;

/// <summary>What the import asks of a batch while it streams a file through (validation happens before).</summary>
public abstract record CustomerBatchCommand
{
    private CustomerBatchCommand()
    {
    }

    /// <summary>An upload for a task begins; the batch id comes from the upload request, so a retried upload reopens it.</summary>
    public sealed record Open(Guid BatchId, Guid TaskId, Guid TenantId, string SourceName, DateTimeOffset Now)
        : CustomerBatchCommand;

    /// <summary><paramref name="Chunk"/> counts from 0; a retried chunk is recognised by its number.</summary>
    public sealed record AddCustomers(Guid BatchId, int Chunk, ValueList<TaskCustomer> Customers, DateTimeOffset Now)
        : CustomerBatchCommand;

    /// <summary>Rejected and duplicate rows were reported to the uploader; only their counts are kept.</summary>
    public sealed record Seal(Guid BatchId, int Rejected, int Duplicates, DateTimeOffset Now) : CustomerBatchCommand;

    /// <summary>The import failed or was abandoned; nothing of it will be dialed.</summary>
    public sealed record Discard(Guid BatchId, string Reason, DateTimeOffset Now) : CustomerBatchCommand;
}
