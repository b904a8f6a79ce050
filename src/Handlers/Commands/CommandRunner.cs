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

    /// <summary>Folds a stream into state; version 0 means the stream does not exist.</summary>
    public static async Task<(TState State, long Version)> LoadAsync<TState, TCommand, TEvent>(
        PostgresEventStore store,
        StreamDecider<TState, TCommand, TEvent> decider,
        string tenant,
        string streamId,
        CancellationToken cancellationToken,
        NpgsqlConnection? connection = null,
        NpgsqlTransaction? transaction = null)
        where TEvent : class
    {
        var recorded = connection is null
            ? await store.ReadStreamAsync(tenant, streamId, 1, cancellationToken)
            : await store.ReadStreamAsync(connection, transaction, tenant, streamId, 1, cancellationToken);
        var state = decider.Initial;
        long version = 0;
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
