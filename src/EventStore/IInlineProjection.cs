using Npgsql;

namespace Aicc.EventStore;

/// <summary>
/// A read model updated inside the append's own transaction, for state a command must read
/// back at once (agent availability): either the events and the read-model change commit
/// together, or neither does.
/// </summary>
public interface IInlineProjection
{
    Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken);
}
