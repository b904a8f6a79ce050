using Npgsql;

namespace Aicc.EventStore.Projections;

/// <summary>
/// A read model built behind the append path by the <see cref="ProjectionDaemon"/>. Both
/// methods run inside the daemon's transaction, which also moves the projection's checkpoint:
/// a batch's read-model change and its checkpoint commit together or not at all.
/// </summary>
public interface IAsyncProjection
{
    /// <summary>Stable name: the checkpoint row and the leadership lock are keyed by it.</summary>
    string Name { get; }

    /// <summary>Applies events in global position order (each event exactly once per build).</summary>
    Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken);

    /// <summary>Empties the read model (truncate its tables) before a rebuild from position zero.</summary>
    Task ResetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken);
}
