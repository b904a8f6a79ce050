using Aicc.Domain.Common;

namespace Aicc.Domain.CustomerBatches;

/// <summary>Everything that happens to one uploaded customer list; one stream per batch.</summary>
public abstract record CustomerBatchEvent
{
    private CustomerBatchEvent()
    {
    }

    /// <summary>An upload (CSV or XLSX file) for a task started importing.</summary>
    public sealed record Opened(Guid BatchId, Guid TaskId, Guid TenantId, string SourceName, DateTimeOffset OpenedAt)
        : CustomerBatchEvent;

    /// <summary>
    /// One chunk of validated customers. Chunks (up to <see cref="CustomerBatchDecider.MaxChunkSize"/>)
    /// keep a 100,000-row file to about a hundred events, and a crashed import resumes at the next chunk.
    /// </summary>
    public sealed record CustomersAdded(
        Guid BatchId,
        int Chunk,
        ValueList<TaskCustomer> Customers,
        DateTimeOffset AddedAt) : CustomerBatchEvent;

    /// <summary>The whole file was read; from here the task may dial these customers.</summary>
    public sealed record Sealed(
        Guid BatchId,
        Guid TaskId,
        int Accepted,
        int Rejected,
        int Duplicates,
        DateTimeOffset SealedAt) : CustomerBatchEvent;

    /// <summary>The import was abandoned before sealing; none of its customers is ever dialed.</summary>
    public sealed record Discarded(Guid BatchId, string Reason, DateTimeOffset DiscardedAt) : CustomerBatchEvent;
}
