namespace Aicc.Handlers.Messaging.Scheduling;

/// <summary>
/// What a caller asks to have run later: a message type name (stable, like event type names,
/// e.g. <c>call.ring-timeout.v1</c>), its JSON payload, when it is due, and for whom.
/// A dedupe key names the pending message so that scheduling it again is a no-op and a
/// later command can cancel it by name (a ring timeout cancelled on answer).
/// </summary>
public sealed record ScheduledMessageRequest(
    string Tenant,
    string MessageType,
    string PayloadJson,
    DateTimeOffset DueAt,
    string? DedupeKey = null);

/// <summary>The outcome of a schedule call: the message's id, and whether this call created it
/// (false when a pending message with the same dedupe key already existed).</summary>
public sealed record ScheduleResult(Guid Id, bool Created);

/// <summary>A claimed message as its handler sees it; <see cref="Attempt"/> counts from 1.</summary>
public sealed record ScheduledMessage(
    Guid Id,
    string Tenant,
    string MessageType,
    string PayloadJson,
    DateTimeOffset DueAt,
    string? DedupeKey,
    int Attempt);

/// <summary>One row of the pending-message listing an operator sees (<c>aicc jobs list</c>).</summary>
public sealed record PendingMessage(
    Guid Id,
    string Tenant,
    string MessageType,
    DateTimeOffset DueAt,
    DateTimeOffset VisibleAt,
    string? DedupeKey,
    int Attempts,
    string? ClaimedBy,
    string? LastError);

/// <summary>A message that failed its last allowed attempt, kept with the error for an operator.</summary>
public sealed record DeadScheduledMessage(
    Guid Id,
    string Tenant,
    string MessageType,
    string PayloadJson,
    DateTimeOffset DueAt,
    string? DedupeKey,
    int Attempts,
    string LastError,
    DateTimeOffset DeadAt);
