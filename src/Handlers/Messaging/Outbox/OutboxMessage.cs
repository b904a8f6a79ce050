namespace Aicc.Handlers.Messaging.Outbox;

/// <summary>
/// A message that must leave the process once the transaction that produced it commits: a
/// webhook, a SIP action a handler requested. <see cref="Destination"/> names a registered
/// <see cref="IOutboxDestination"/>; messages with the same <see cref="OrderingKey"/> are
/// delivered one at a time in the order they were written. The payload is kept as text, byte
/// for byte, so that a receiver's signature over the body still matches.
/// </summary>
public sealed record OutboxEnvelope(
    string Tenant,
    string Destination,
    string Payload,
    IReadOnlyDictionary<string, string>? Headers = null,
    string? OrderingKey = null);

/// <summary>
/// A claimed outbox message as a destination sees it. <see cref="Id"/> stays the same on every
/// redelivery: receivers de-duplicate on it (at-least-once delivery).
/// </summary>
public sealed record OutboxMessage(
    Guid Id,
    long Position,
    string Tenant,
    string Destination,
    string? OrderingKey,
    string Payload,
    IReadOnlyDictionary<string, string> Headers,
    int Attempt,
    DateTimeOffset CreatedAt);

/// <summary>Per destination: what waits, what is on its way, what arrived, what gave up.</summary>
public sealed record OutboxDestinationStatus(
    string Destination,
    long Pending,
    long InFlight,
    long Delivered,
    long Dead,
    DateTimeOffset? OldestPendingSince,
    string? LastError);

/// <summary>An outbox message that exhausted its delivery attempts.</summary>
public sealed record DeadOutboxMessage(
    Guid Id,
    string Tenant,
    string Destination,
    string? OrderingKey,
    int Attempts,
    string LastError,
    DateTimeOffset DeadAt);
