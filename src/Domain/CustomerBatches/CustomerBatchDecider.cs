using Aicc.Domain.Common;

namespace Aicc.Domain.CustomerBatches;

/// <summary>Decides import steps: chunks in order, no number twice, nothing added after sealing.</summary>
public static class CustomerBatchDecider
{
    /// <summary>Large enough to keep event counts low, small enough to keep one event well under a megabyte.</summary>
    public const int MaxChunkSize = 1000;

    public static CustomerBatch Initial => CustomerBatch.Initial;

    public static Decider<CustomerBatchCommand, CustomerBatchEvent, CustomerBatch> Definition { get; } = new(Decide, Evolve, Initial);

    public static CustomerBatch Evolve(CustomerBatch state, CustomerBatchEvent @event) => CustomerBatch.Evolve(state, @event);

    public static IReadOnlyList<CustomerBatchEvent> Decide(CustomerBatchCommand command, CustomerBatch state) =>
        (command, state) switch
        {
            (CustomerBatchCommand.Open c, CustomerBatch.None) =>
                [new CustomerBatchEvent.Opened(c.BatchId, c.TaskId, c.TenantId, SourceName(c.SourceName), c.Now)],
            (CustomerBatchCommand.Open c, CustomerBatch.Open s) when s.TaskId == c.TaskId => [],
            (CustomerBatchCommand.Open c, CustomerBatch.Sealed s) when s.TaskId == c.TaskId => [],
            (CustomerBatchCommand.Open, _) => throw new DomainException(
                "batch.already_exists", "A batch with this id already exists for another task."),
            (_, CustomerBatch.None) => throw new DomainException("batch.not_found", "The batch does not exist."),

            (CustomerBatchCommand.Discard, CustomerBatch.Discarded) => [],
            (_, CustomerBatch.Discarded) => throw new DomainException("batch.discarded", "The batch was discarded."),

            (CustomerBatchCommand.AddCustomers c, CustomerBatch.Open s) => Add(c, s),
            (CustomerBatchCommand.AddCustomers c, CustomerBatch.Sealed s) when c.Chunk < s.NextChunk => [],
            (CustomerBatchCommand.AddCustomers, CustomerBatch.Sealed) => throw Sealed(),

            (CustomerBatchCommand.Seal c, CustomerBatch.Open s) => c.Rejected < 0 || c.Duplicates < 0
                ? throw new DomainException("batch.invalid_counts", "Rejected and duplicate counts cannot be negative.")
                : [new CustomerBatchEvent.Sealed(c.BatchId, s.TaskId, s.Count, c.Rejected, c.Duplicates, c.Now)],
            (CustomerBatchCommand.Seal, CustomerBatch.Sealed) => [],

            (CustomerBatchCommand.Discard c, CustomerBatch.Open) => [new CustomerBatchEvent.Discarded(
                c.BatchId, string.IsNullOrWhiteSpace(c.Reason) ? "import aborted" : c.Reason.Trim(), c.Now)],
            (CustomerBatchCommand.Discard, CustomerBatch.Sealed) => throw Sealed(),

            _ => throw new DomainException("batch.unsupported", $"{command.GetType().Name} is not possible now."),
        };

    private static IReadOnlyList<CustomerBatchEvent> Add(CustomerBatchCommand.AddCustomers c, CustomerBatch.Open s)
    {
        if (c.Chunk < s.NextChunk)
        {
            return [];
        }

        if (c.Chunk > s.NextChunk)
        {
            throw new DomainException(
                "batch.chunk_out_of_order", $"Chunk {s.NextChunk} comes next, not chunk {c.Chunk}.");
        }

        if (c.Customers.Count == 0)
        {
            throw new DomainException("batch.empty_chunk", "A chunk carries at least one customer.");
        }

        if (c.Customers.Count > MaxChunkSize)
        {
            throw new DomainException("batch.chunk_too_large", $"A chunk carries at most {MaxChunkSize} customers.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var customer in c.Customers)
        {
            var phone = customer.Phone.E164;
            if (s.Phones.Contains(phone) || !seen.Add(phone))
            {
                throw new DomainException(
                    "batch.duplicate_phone", $"Row {customer.Row}: {phone} is already in this batch.");
            }
        }

        return [new CustomerBatchEvent.CustomersAdded(c.BatchId, c.Chunk, c.Customers, c.Now)];
    }

    private static string SourceName(string name) => string.IsNullOrWhiteSpace(name) ? "upload" : name.Trim();

    private static DomainException Sealed() => new("batch.sealed", "The batch is sealed.");
}
