using Npgsql;
using NpgsqlTypes;

namespace Aicc.EventStore;

public sealed partial class PostgresEventStore
{
    private const string AppendSql = "select version, seqs, ts, conflict, archived from es_append($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    /// <summary>
    /// Appends events to one stream atomically in a transaction of its own. Elements of
    /// <paramref name="events"/> may be <see cref="NewEvent"/> to fix their ids: re-appending ids
    /// that are already in that stream returns the earlier result and appends nothing.
    /// </summary>
    /// <exception cref="WrongExpectedVersionException">The stream's version is not <paramref name="expected"/>.</exception>
    /// <exception cref="StreamArchivedException">The stream is archived.</exception>
    /// <exception cref="DuplicateEventIdException">An event id is already used elsewhere.</exception>
    public async Task<AppendResult> AppendAsync(
        string tenant, string streamId, string streamType, ExpectedVersion expected,
        IReadOnlyList<object> events, EventMetadata? metadata = null, CancellationToken cancellationToken = default)
    {
        var batch = Prepare(tenant, streamId, streamType, events);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            AppendOutcome outcome;
            if (Options.InlineProjections.Count == 0)
            {
                // The function call is atomic on its own; skipping BEGIN/COMMIT saves a round trip.
                outcome = await ExecuteAppendAsync(connection, null, batch, expected, metadata, cancellationToken);
            }
            else
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                outcome = await ExecuteAppendAsync(connection, transaction, batch, expected, metadata, cancellationToken);
                if (!outcome.Conflict)
                {
                    await RunInlineProjectionsAsync(connection, transaction, batch, outcome, metadata, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }
            }

            if (!outcome.Conflict)
            {
                return outcome.ToResult();
            }

            if (outcome.Archived)
            {
                throw new StreamArchivedException(tenant, streamId);
            }

            return batch.ExplicitIds
                ? await FindEarlierAppendAsync(connection, null, batch, cancellationToken)
                    ?? throw new WrongExpectedVersionException(tenant, streamId, expected, outcome.Version)
                : throw new WrongExpectedVersionException(tenant, streamId, expected, outcome.Version);
        }
        catch (PostgresException ex) when (IsDuplicateEventId(ex))
        {
            // A concurrent or earlier append already stored these ids: answer as that append did.
            return await FindEarlierAppendAsync(connection, null, batch, cancellationToken)
                ?? throw new DuplicateEventIdException($"Event ids of the append to {streamId} (tenant {tenant}) are partly stored already.");
        }
    }

    /// <summary>
    /// Appends inside the caller's transaction (so an outbox row or a read-model change commits
    /// with the events); several streams may be appended in one transaction. Inline projections
    /// run in the same transaction. A conflict throws but leaves the transaction usable.
    /// </summary>
    public Task<AppendResult> AppendAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction,
        string tenant, string streamId, string streamType, ExpectedVersion expected,
        IReadOnlyList<object> events, EventMetadata? metadata = null, CancellationToken cancellationToken = default) =>
        OpenSession(connection, transaction).AppendAsync(tenant, streamId, streamType, expected, events, metadata, cancellationToken);

    /// <summary>A unit of work over the caller's connection and transaction: appends to any number of streams.</summary>
    public EventStoreSession OpenSession(NpgsqlConnection connection, NpgsqlTransaction transaction) => new(this, connection, transaction);

    internal async Task<AppendResult> AppendInTransactionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, string streamId, string streamType,
        ExpectedVersion expected, IReadOnlyList<object> events, EventMetadata? metadata, CancellationToken cancellationToken)
    {
        var batch = Prepare(tenant, streamId, streamType, events);
        if (batch.ExplicitIds && await FindEarlierAppendAsync(connection, transaction, batch, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        AppendOutcome outcome;
        try
        {
            outcome = await ExecuteAppendAsync(connection, transaction, batch, expected, metadata, cancellationToken);
        }
        catch (PostgresException ex) when (IsDuplicateEventId(ex))
        {
            throw new DuplicateEventIdException(
                $"Event ids of the append to {streamId} (tenant {tenant}) were stored concurrently; the transaction is aborted, retry it.");
        }

        if (outcome.Conflict)
        {
            throw outcome.Archived
                ? new StreamArchivedException(tenant, streamId)
                : new WrongExpectedVersionException(tenant, streamId, expected, outcome.Version);
        }

        await RunInlineProjectionsAsync(connection, transaction, batch, outcome, metadata, cancellationToken);
        return outcome.ToResult();
    }

    private PendingBatch Prepare(string tenant, string streamId, string streamType, IReadOnlyList<object> events)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(streamId);
        ArgumentException.ThrowIfNullOrWhiteSpace(streamType);
        if (events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        }

        var ids = new Guid[events.Count];
        var types = new string[events.Count];
        var data = new string[events.Count];
        var payloads = new object[events.Count];
        var explicitIds = false;
        for (var i = 0; i < events.Count; i++)
        {
            var payload = events[i];
            if (payload is NewEvent withId)
            {
                explicitIds = true;
                ids[i] = withId.EventId;
                payload = withId.Data;
            }
            else
            {
                ids[i] = Guid.CreateVersion7();
            }

            payloads[i] = payload;
            types[i] = Registry.NameOf(payload.GetType());
            data[i] = Registry.Serialize(payload);
        }

        return new PendingBatch(tenant, streamId, streamType, ids, types, data, payloads, explicitIds);
    }

    private async Task<AppendOutcome> ExecuteAppendAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, PendingBatch batch, ExpectedVersion expected,
        EventMetadata? metadata, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AppendSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>{ TypedValue = batch.Tenant, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string>{ TypedValue = batch.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string>{ TypedValue = batch.StreamType, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = batch.Ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)SerializeMetadata(metadata) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = ShouldNotify(), NpgsqlDbType = NpgsqlDbType.Boolean });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var version = reader.GetInt64(0);
        if (reader.GetBoolean(3))
        {
            return new AppendOutcome(true, reader.GetBoolean(4), version, [], default);
        }

        return new AppendOutcome(false, false, version, reader.GetFieldValue<long[]>(1), reader.GetFieldValue<DateTimeOffset>(2));
    }

    private long _lastNotify = long.MinValue;

    private bool ShouldNotify()
    {
        if (!Options.NotifyOnAppend)
        {
            return false;
        }

        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _lastNotify);
        var due = last == long.MinValue || System.Diagnostics.Stopwatch.GetElapsedTime(last, now) >= Options.NotifyInterval;
        return due && Interlocked.CompareExchange(ref _lastNotify, now, last) == last;
    }

    private async Task RunInlineProjectionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, PendingBatch batch, AppendOutcome outcome,
        EventMetadata? metadata, CancellationToken cancellationToken)
    {
        if (Options.InlineProjections.Count == 0)
        {
            return;
        }

        var firstVersion = outcome.Version - batch.Ids.Length + 1;
        var recorded = new RecordedEvent[batch.Ids.Length];
        for (var i = 0; i < recorded.Length; i++)
        {
            recorded[i] = new RecordedEvent(
                outcome.Positions[i], batch.Ids[i], batch.Tenant, batch.StreamId, batch.StreamType, firstVersion + i,
                batch.Types[i], batch.Payloads[i], metadata, outcome.Timestamp);
        }

        foreach (var projection in Options.InlineProjections)
        {
            await projection.ApplyAsync(connection, transaction, recorded, cancellationToken);
        }
    }

    /// <summary>
    /// The result of an earlier append of exactly these ids to this stream, or null when none of
    /// them is stored. Ids stored elsewhere (another stream or tenant) or only some of them are an error.
    /// </summary>
    private static async Task<AppendResult?> FindEarlierAppendAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, PendingBatch batch, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "select tenant_id, stream_id, version, seq_id from es_events where id = any($1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = batch.Ids });
        var found = 0;
        long maxVersion = 0;
        long maxPosition = 0;
        var foreign = false;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                found++;
                foreign |= reader.GetString(0) != batch.Tenant || reader.GetString(1) != batch.StreamId;
                maxVersion = Math.Max(maxVersion, reader.GetInt64(2));
                maxPosition = Math.Max(maxPosition, reader.GetInt64(3));
            }
        }

        if (found == 0)
        {
            return null;
        }

        if (foreign || found != batch.Ids.Distinct().Count())
        {
            throw new DuplicateEventIdException(
                $"Some event ids of the append to {batch.StreamId} (tenant {batch.Tenant}) are already stored, but not as exactly this append.");
        }

        return new AppendResult(maxVersion, maxPosition);
    }

    private static bool IsDuplicateEventId(PostgresException ex) =>
        ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "es_events_id_unique";

    private sealed record PendingBatch(
        string Tenant, string StreamId, string StreamType, Guid[] Ids, string[] Types, string[] Data, object[] Payloads, bool ExplicitIds);

    private readonly record struct AppendOutcome(bool Conflict, bool Archived, long Version, long[] Positions, DateTimeOffset Timestamp)
    {
        public AppendResult ToResult() => new(Version, Positions[^1]);
    }
}
