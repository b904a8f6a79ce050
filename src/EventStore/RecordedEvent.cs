namespace Aicc.EventStore;

/// <summary>
/// An event as it sits in the store: the domain data plus where it lives (tenant, stream,
/// version) and its global position, which projections use as their checkpoint.
/// </summary>
/// <param name="TypeName">The stable name of <paramref name="Data"/>'s type, after upcasting.</param>
/// <param name="Data">The deserialised event; a <see cref="System.Text.Json.JsonElement"/> when its name is not registered.</param>
public sealed record RecordedEvent(
    long Position,
    Guid EventId,
    string Tenant,
    string StreamId,
    string StreamType,
    long Version,
    string TypeName,
    object Data,
    EventMetadata? Metadata,
    DateTimeOffset Timestamp);

/// <summary>
/// An event to append with an id chosen by the caller, which makes a retry of the same append
/// idempotent (the store answers with the earlier result instead of appending twice).
/// </summary>
public sealed record NewEvent(Guid EventId, object Data);

/// <summary>What an append produced: the version to expect next and the last event's global position.</summary>
public sealed record AppendResult(long NextExpectedVersion, long LastPosition);

/// <summary>A page of the global stream: events after a position up to the safe high-water mark.</summary>
/// <param name="NextPosition">Where the next read starts: after the last event returned, or at the high-water mark when the page was not full.</param>
public sealed record EventPage(IReadOnlyList<RecordedEvent> Events, long NextPosition, long HighWaterMark);

/// <summary>A stream folded into state, with the version that state reflects (the expected version for the next append).</summary>
public sealed record AggregateResult<TState>(TState State, long Version);
