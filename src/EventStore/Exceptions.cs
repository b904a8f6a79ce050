namespace Aicc.EventStore;

/// <summary>
/// The stream's version was not the one the appender decided against: someone else appended
/// first. Callers re-load and re-decide (when that is safe) or report the conflict.
/// </summary>
public sealed class WrongExpectedVersionException(string tenant, string streamId, ExpectedVersion expected, long actualVersion)
    : Exception($"Stream {streamId} of tenant {tenant}: expected version {expected}, actual version {actualVersion}.")
{
    public string Tenant { get; } = tenant;

    public string StreamId { get; } = streamId;

    public ExpectedVersion Expected { get; } = expected;

    /// <summary>The stream's version when the append was refused (0 when it does not exist).</summary>
    public long ActualVersion { get; } = actualVersion;
}

/// <summary>An archived (closed) stream is read-only; appending to it is a caller error.</summary>
public sealed class StreamArchivedException(string tenant, string streamId)
    : Exception($"Stream {streamId} of tenant {tenant} is archived and accepts no more events.")
{
    public string Tenant { get; } = tenant;

    public string StreamId { get; } = streamId;
}

/// <summary>
/// Event ids are globally unique. Re-sending exactly the same ids to the same stream is an
/// idempotent retry; any other reuse (other stream, other tenant, partial overlap) is this error.
/// </summary>
public sealed class DuplicateEventIdException(string message) : Exception(message);

/// <summary>An event's CLR type has no stable name in the <see cref="EventTypeRegistry"/>.</summary>
public sealed class UnknownEventTypeException(string message) : Exception(message);
