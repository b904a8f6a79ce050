using Npgsql;

namespace Aicc.EventStore;

/// <summary>
/// Appends through the caller's connection and transaction, so that events of several streams,
/// outbox rows and read-model changes commit or roll back together. The caller owns the
/// transaction: it commits or rolls back; the session never does.
/// </summary>
public sealed class EventStoreSession
{
    private readonly PostgresEventStore _store;

    internal EventStoreSession(PostgresEventStore store, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _store = store;
        Connection = connection;
        Transaction = transaction;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    /// <inheritdoc cref="PostgresEventStore.AppendAsync(string, string, string, ExpectedVersion, IReadOnlyList{object}, EventMetadata?, CancellationToken)"/>
    public Task<AppendResult> AppendAsync(
        string tenant, string streamId, string streamType, ExpectedVersion expected,
        IReadOnlyList<object> events, EventMetadata? metadata = null, CancellationToken cancellationToken = default) =>
        _store.AppendInTransactionAsync(Connection, Transaction, tenant, streamId, streamType, expected, events, metadata, cancellationToken);
}
