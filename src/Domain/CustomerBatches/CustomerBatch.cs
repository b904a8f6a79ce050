using System.Collections.Immutable;
using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;

namespace Aicc.Domain.CustomerBatches;

/// <summary>
/// One uploaded customer list for a task (seed 002's 批次 and 批次详细表): persisted in full before
/// any of it is dialed, so a crash mid-import or mid-campaign never loses or invents a customer.
/// </summary>
public abstract record CustomerBatch
{
    private CustomerBatch()
    {
    }

    public sealed record None : CustomerBatch;

    /// <summary><paramref name="Phones"/> holds every number so far: a batch never lists a number twice.</summary>
    public sealed record Open(
        Guid BatchId,
        Guid TaskId,
        Guid TenantId,
        int NextChunk,
        int Count,
        ImmutableHashSet<string> Phones) : CustomerBatch;

    public sealed record Sealed(Guid BatchId, Guid TaskId, int NextChunk, int Accepted, int Rejected, int Duplicates)
        : CustomerBatch;

    public sealed record Discarded(Guid BatchId, Guid TaskId, string Reason) : CustomerBatch;

    public static CustomerBatch Initial { get; } = new None();

    public static CustomerBatch Evolve(CustomerBatch state, CustomerBatchEvent @event) => (state, @event) switch
    {
        (None, CustomerBatchEvent.Opened e) => new Open(e.BatchId, e.TaskId, e.TenantId, 0, 0, ImmutableHashSet<string>.Empty),
        (Open s, CustomerBatchEvent.CustomersAdded e) => s with
        {
            NextChunk = e.Chunk + 1,
            Count = s.Count + e.Customers.Count,
            Phones = s.Phones.Union(e.Customers.Select(customer => customer.Phone.E164)),
        },
        (Open s, CustomerBatchEvent.Sealed e) => new Sealed(s.BatchId, s.TaskId, s.NextChunk, e.Accepted, e.Rejected, e.Duplicates),
        (Open s, CustomerBatchEvent.Discarded e) => new Discarded(s.BatchId, s.TaskId, e.Reason),
        _ => state,
    };
}

/// <summary>
/// One customer to call: the normalised number and the row's other columns as variables (for the
/// robot's {{variables}} and the agent's screen). <paramref name="Row"/> is the file's row, header = 1.
/// </summary>
public sealed record TaskCustomer(Guid CustomerId, int Row, PhoneNumber Phone, ValueMap Variables);
