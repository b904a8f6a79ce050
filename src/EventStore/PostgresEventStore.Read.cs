using Npgsql;

namespace Aicc.EventStore;

public sealed partial class PostgresEventStore
{
    private const string EventColumns = "seq_id, id, tenant_id, stream_id, stream_type, version, type, data::text, metadata::text, timestamp";

    /// <summary>One stream's events of <paramref name="tenant"/> from <paramref name="fromVersion"/> on, in version order.</summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(
        string tenant, string streamId, long fromVersion = 1, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"select {EventColumns} from es_events where tenant_id = $1 and stream_id = $2 and version >= $3 order by version",
            connection);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(streamId);
        command.Parameters.AddWithValue(fromVersion);
        return await ReadEventsAsync(command, cancellationToken);
    }

    /// <summary>
    /// Events after global position <paramref name="fromPosition"/>, never beyond the safe
    /// high-water mark, optionally of one tenant only.
    /// </summary>
    public async Task<EventPage> ReadAllAsync(
        long fromPosition, int maxCount, string? tenant = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var highWaterMark = await HighWaterMark.RefreshAsync(connection, cancellationToken);
        if (highWaterMark <= fromPosition)
        {
            return new EventPage([], fromPosition, highWaterMark);
        }

        var events = await ReadRangeAsync(connection, null, fromPosition, highWaterMark, maxCount, tenant, cancellationToken);
        var next = events.Count == maxCount ? events[^1].Position : highWaterMark;
        return new EventPage(events, next, highWaterMark);
    }

    /// <summary>
    /// Events with <paramref name="after"/> &lt; position &lt;= <paramref name="upTo"/> in position
    /// order on the caller's connection; the caller guarantees <paramref name="upTo"/> is safe.
    /// </summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadRangeAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long after, long upTo, int maxCount,
        string? tenant = null, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(
            tenant is null
                ? $"select {EventColumns} from es_events where seq_id > $1 and seq_id <= $2 order by seq_id limit $3"
                : $"select {EventColumns} from es_events where seq_id > $1 and seq_id <= $2 and tenant_id = $4 order by seq_id limit $3",
            connection, transaction);
        command.Parameters.AddWithValue(after);
        command.Parameters.AddWithValue(upTo);
        command.Parameters.AddWithValue(maxCount);
        if (tenant is not null)
        {
            command.Parameters.AddWithValue(tenant);
        }

        return await ReadEventsAsync(command, cancellationToken);
    }

    /// <summary>
    /// Folds a stream into state (live aggregation), starting from the newest snapshot when
    /// <paramref name="snapshotName"/> is given and one exists.
    /// </summary>
    /// <returns>The state and the version it reflects (0 for a stream that does not exist).</returns>
    public async Task<AggregateResult<TState>> AggregateStreamAsync<TState>(
        string tenant, string streamId, TState initial, Func<TState, object, TState> evolve,
        string? snapshotName = null, CancellationToken cancellationToken = default)
    {
        var state = initial;
        var version = 0L;
        if (snapshotName is not null && await LoadSnapshotAsync<TState>(tenant, streamId, snapshotName, cancellationToken) is { } snapshot)
        {
            (state, version) = (snapshot.State, snapshot.Version);
        }

        foreach (var recorded in await ReadStreamAsync(tenant, streamId, version + 1, cancellationToken))
        {
            state = evolve(state, recorded.Data);
            version = recorded.Version;
        }

        return new AggregateResult<TState>(state, version);
    }

    /// <summary>The stream's current version and whether it is archived; null when it does not exist.</summary>
    public async Task<StreamInfo?> GetStreamAsync(string tenant, string streamId, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand(
            "select type, version, created, updated, is_archived from es_streams where tenant_id = $1 and id = $2");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(streamId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StreamInfo(tenant, streamId, reader.GetString(0), reader.GetInt64(1),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetBoolean(4))
            : null;
    }

    /// <summary>
    /// Closes a stream: it stays readable (calls are kept) but accepts no more appends, and is
    /// left out of the live-stream index that hot listings use.
    /// </summary>
    /// <returns>False when the stream does not exist in <paramref name="tenant"/>.</returns>
    public async Task<bool> ArchiveStreamAsync(string tenant, string streamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var streams = new NpgsqlCommand(
            "update es_streams set is_archived = true, updated = now() where tenant_id = $1 and id = $2", connection, transaction);
        streams.Parameters.AddWithValue(tenant);
        streams.Parameters.AddWithValue(streamId);
        if (await streams.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        await using var events = new NpgsqlCommand(
            "update es_events set is_archived = true where tenant_id = $1 and stream_id = $2 and not is_archived", connection, transaction);
        events.Parameters.AddWithValue(tenant);
        events.Parameters.AddWithValue(streamId);
        await events.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<IReadOnlyList<RecordedEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (typeName, data) = Registry.Deserialize(reader.GetString(6), reader.GetString(7));
            events.Add(new RecordedEvent(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetInt64(5),
                typeName,
                data,
                reader.IsDBNull(8) ? null : DeserializeMetadata(reader.GetString(8)),
                reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return events;
    }
}

/// <summary>A stream's row: its type, current version and whether it is archived.</summary>
public sealed record StreamInfo(
    string Tenant, string StreamId, string StreamType, long Version, DateTimeOffset Created, DateTimeOffset Updated, bool IsArchived);
