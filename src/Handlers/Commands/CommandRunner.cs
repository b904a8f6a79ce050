using Aicc.EventStore;
using Npgsql;

namespace Aicc.Handlers.Commands;

/// <summary>What a command did: the events it appended, the state after them, and the stream's version (the ETag).</summary>
public sealed record CommandResult<TState, TEvent>(IReadOnlyList<TEvent> Events, TState State, long Version);

/// <summary>
/// Load, decide, append: folds a stream into state, asks the pure decider, appends the new
/// events with the version it read as the expected version. On a concurrent append the
/// command is decided again on the fresh state (deciders are pure, so that is always safe)
/// unless the caller pinned a version (If-Match), in which case the conflict is the answer.
/// </summary>
public static class CommandRunner
{
    private const int MaxAttempts = 10;

    public static async Task<CommandResult<TState, TEvent>> RunAsync<TState, TCommand, TEvent>(
        PostgresEventStore store,
        StreamDecider<TState, TCommand, TEvent> decider,
        string tenant,
        string streamId,
        TCommand command,
        long? expectedVersion = null,
        EventMetadata? metadata = null,
        CancellationToken cancellationToken = default)
        where TEvent : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var (state, version) = await LoadAsync(store, decider, tenant, streamId, cancellationToken);
            if (expectedVersion is { } pinned && pinned != version)
            {
                throw new WrongExpectedVersionException(tenant, streamId, ExpectedVersion.Exact(pinned), version);
            }

            var events = decider.Decide(command, state);
            if (events.Count == 0)
            {
                return new CommandResult<TState, TEvent>(events, state, version);
            }

            try
            {
                var result = await store.AppendAsync(
                    tenant, streamId, decider.StreamType, version == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(version),
                    events, metadata, cancellationToken);
                return new CommandResult<TState, TEvent>(events, events.Aggregate(state, decider.Evolve), result.NextExpectedVersion);
            }
            catch (WrongExpectedVersionException) when (expectedVersion is null && attempt < MaxAttempts)
            {
                // Someone appended between our read and our write: decide again on what they wrote,
                // after a short random pause so racing writers do not collide in lockstep.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Decides on a state the caller already holds (from its previous command on a stream only it
    /// writes, such as an upload's batch) instead of reading the stream again: re-reading a
    /// stream that grows by a chunk per command makes a long import quadratic. A concurrent
    /// writer still cannot slip in: the append expects exactly the version the caller holds.
    /// </summary>
    public static async Task<CommandResult<TState, TEvent>> RunOnAsync<TState, TCommand, TEvent>(
        PostgresEventStore store,
        StreamDecider<TState, TCommand, TEvent> decider,
        string tenant,
        string streamId,
        TState state,
        long version,
        TCommand command,
        EventMetadata? metadata = null,
        CancellationToken cancellationToken = default)
        where TEvent : class
    {
        var events = decider.Decide(command, state);
        if (events.Count == 0)
        {
            return new CommandResult<TState, TEvent>(events, state, version);
        }

        var result = await store.AppendAsync(
            tenant, streamId, decider.StreamType, version == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(version),
            events, metadata, cancellationToken);
        return new CommandResult<TState, TEvent>(events, events.Aggregate(state, decider.Evolve), result.NextExpectedVersion);
    }

    /// <summary>
    /// Several commands on one stream as one change: each is decided on the state the previous
    /// ones left, and all their events are appended together or (on any refusal) none, so a
    /// request that sets five things never lands with three of them.
    /// </summary>
    public static async Task<CommandResult<TState, TEvent>> RunAllAsync<TState, TCommand, TEvent>(
        PostgresEventStore store,
        StreamDecider<TState, TCommand, TEvent> decider,
        string tenant,
        string streamId,
        IReadOnlyList<TCommand> commands,
        long? expectedVersion = null,
        EventMetadata? metadata = null,
        CancellationToken cancellationToken = default)
        where TEvent : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var (state, version) = await LoadAsync(store, decider, tenant, streamId, cancellationToken);
            if (expectedVersion is { } pinned && pinned != version)
            {
                throw new WrongExpectedVersionException(tenant, streamId, ExpectedVersion.Exact(pinned), version);
            }

            var events = new List<TEvent>();
            foreach (var command in commands)
            {
                var decided = decider.Decide(command, state);
                state = decided.Aggregate(state, decider.Evolve);
                events.AddRange(decided);
            }

            if (events.Count == 0)
            {
                return new CommandResult<TState, TEvent>(events, state, version);
            }

            try
            {
                var result = await store.AppendAsync(
                    tenant, streamId, decider.StreamType, version == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(version),
                    events, metadata, cancellationToken);
                return new CommandResult<TState, TEvent>(events, state, result.NextExpectedVersion);
            }
            catch (WrongExpectedVersionException) when (expectedVersion is null && attempt < MaxAttempts)
            {
                // Someone appended between our read and our write: decide again on what they wrote.
            }
        }
    }

    /// <summary>
    /// The same inside the caller's transaction, for commands that must commit together with
    /// other streams or outbox rows; no retry (the caller's transaction decides).
    /// </summary>
    public static async Task<CommandResult<TState, TEvent>> RunAsync<TState, TCommand, TEvent>(
        EventStoreSession session,
        PostgresEventStore store,
        StreamDecider<TState, TCommand, TEvent> decider,
        string tenant,
        string streamId,
        TCommand command,
        EventMetadata? metadata = null,
        CancellationToken cancellationToken = default)
        where TEvent : class
    {
        var (state, version) = await LoadAsync(store, decider, tenant, streamId, cancellationToken, session.Connection, session.Transaction);
        var events = decider.Decide(command, state);
        if (events.Count == 0)
        {
            return new CommandResult<TState, TEvent>(events, state, version);
        }

        var result = await session.AppendAsync(
            tenant, streamId, decider.StreamType, version == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(version),
            events, metadata, cancellationToken);
        return new CommandResult<TState, TEvent>(events, events.Aggregate(state, decider.Evolve), result.NextExpectedVersion);
    }

    /// <summary>
    /// A command on a hot stream (a line's channels: every call of every task seizes and releases
    /// on it) inside the caller's transaction. It folds on from a state the caller already holds
    /// (<paramref name="known"/> at <paramref name="knownVersion"/>, any earlier read: streams
    /// only grow) by reading just the events after it, so a long-lived line is not read from its
    /// first event for every call. A concurrent append is decided again on the fresh tail, in
    /// the same transaction: <c>es_append</c> reports a conflict without aborting it, and the
    /// competing writer's row lock makes us wait for its commit, so the re-read sees its events.
    /// </summary>
    public static async Task<CommandResult<TState, TEvent>> RunFromAsync<TState, TCommand, TEvent>(
        EventStoreSession session,
        PostgresEventStore store,
        StreamDecider<TState, TCommand, TEvent> decider,
        string tenant,
        string streamId,
        TState known,
        long knownVersion,
        TCommand command,
        EventMetadata? metadata = null,
        CancellationToken cancellationToken = default)
        where TEvent : class
    {
        var (state, version) = (known, knownVersion);
        for (var attempt = 1; ; attempt++)
        {
            (state, version) = await CatchUpAsync(store, decider, tenant, streamId, state, version, session, cancellationToken);
            var events = decider.Decide(command, state);
            if (events.Count == 0)
            {
                return new CommandResult<TState, TEvent>(events, state, version);
            }

            try
            {
                var result = await session.AppendAsync(
                    tenant, streamId, decider.StreamType, version == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(version),
                    events, metadata, cancellationToken);
                return new CommandResult<TState, TEvent>(events, events.Aggregate(state, decider.Evolve), result.NextExpectedVersion);
            }
            catch (WrongExpectedVersionException) when (attempt < MaxAttempts * 3)
            {
                // Another call took or gave back a channel between our read and our write.
                AppendConflicts.Increment();
            }
        }
    }

    /// <summary>Conflicts <see cref="RunFromAsync"/> decided again since the process started (benchmarks and tests read it).</summary>
    public static ConflictCounter AppendConflicts { get; } = new();

    /// <summary>Folds the events after <paramref name="version"/> into <paramref name="state"/> (outside a transaction when <paramref name="session"/> is null).</summary>
    public static Task<(TState State, long Version)> CatchUpAsync<TState, TCommand, TEvent>(
        PostgresEventStore store,
        StreamDecider<TState, TCommand, TEvent> decider,
        string tenant,
        string streamId,
        TState state,
        long version,
        EventStoreSession? session,
        CancellationToken cancellationToken)
        where TEvent : class =>
        FoldAsync(store, decider, tenant, streamId, state, version, session?.Connection, session?.Transaction, cancellationToken);

    /// <summary>Folds a stream into state; version 0 means the stream does not exist.</summary>
    public static Task<(TState State, long Version)> LoadAsync<TState, TCommand, TEvent>(
        PostgresEventStore store,
        StreamDecider<TState, TCommand, TEvent> decider,
        string tenant,
        string streamId,
        CancellationToken cancellationToken,
        NpgsqlConnection? connection = null,
        NpgsqlTransaction? transaction = null)
        where TEvent : class =>
        FoldAsync(store, decider, tenant, streamId, decider.Initial, 0, connection, transaction, cancellationToken);

    /// <summary>Folds the stream's events after <paramref name="version"/> into <paramref name="state"/>.</summary>
    private static async Task<(TState State, long Version)> FoldAsync<TState, TCommand, TEvent>(
        PostgresEventStore store,
        StreamDecider<TState, TCommand, TEvent> decider,
        string tenant,
        string streamId,
        TState state,
        long version,
        NpgsqlConnection? connection,
        NpgsqlTransaction? transaction,
        CancellationToken cancellationToken)
        where TEvent : class
    {
        var recorded = connection is null
            ? await store.ReadStreamAsync(tenant, streamId, version + 1, cancellationToken)
            : await store.ReadStreamAsync(connection, transaction, tenant, streamId, version + 1, cancellationToken);
        foreach (var e in recorded)
        {
            if (e.Data is TEvent domainEvent)
            {
                state = decider.Evolve(state, domainEvent);
            }

            version = e.Version;
        }

        return (state, version);
    }
}

/// <summary>A process-wide count, safe to bump from any thread.</summary>
public sealed class ConflictCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
