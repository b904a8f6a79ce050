using Aicc.Domain.Common;
using Aicc.Domain.Compliance;

namespace Aicc.Domain.Dialing.Contacts;

/// <summary>Where one customer of a task stands between attempts.</summary>
public enum ContactPhase
{
    /// <summary>Nothing recorded beyond the attempts themselves (a first attempt needs no contact event).</summary>
    Fresh,

    /// <summary>A redial or a retry after a refusal is scheduled and not due yet.</summary>
    Waiting,

    /// <summary><see cref="DialingContact.Attempt"/> may be dialed now.</summary>
    Due,

    /// <summary>The gate refused for good (black list, do-not-call): never dialed again.</summary>
    Closed,
}

/// <summary>One customer's dialing state: which attempt is next and whether it may go out.</summary>
public sealed record DialingContact(ContactPhase Phase, int Attempt, DateTimeOffset? DueAt, RefusalReason? LastRefusal)
{
    public static DialingContact Initial { get; } = new(ContactPhase.Fresh, 1, null, null);
}

/// <summary>
/// Decides a customer's between-attempt events. Repeats are no-ops: the scheduler may run a due
/// message twice after a crash, and a dialer that re-plans an attempt it already planned (after
/// a takeover) must not plan it twice.
/// </summary>
public static class DialingContactDecider
{
    public static Decider<DialingContactCommand, DialingContactEvent, DialingContact> Definition { get; } = new(Decide, Evolve, DialingContact.Initial);

    /// <summary>
    /// The id of attempt <paramref name="attempt"/> of a customer's calls in a task: derived, not
    /// random, so two dialers (or one dialer twice) asking to place the same attempt write to the
    /// same call stream and the second finds it taken. That is what makes a duplicate dial impossible
    /// rather than unlikely.
    /// </summary>
    public static Guid AttemptCallId(Guid taskId, Guid customerId, int attempt) =>
        DerivedIds.From("aicc.dial-attempt", taskId, customerId, attempt);

    /// <summary>The id of a customer's contact stream in a task.</summary>
    public static Guid ContactId(Guid taskId, Guid customerId) => DerivedIds.From("aicc.dial-contact", taskId, customerId, 0);

    public static IReadOnlyList<DialingContactEvent> Decide(DialingContactCommand command, DialingContact state) => command switch
    {
        DialingContactCommand.ScheduleRedial c when c.Attempt < 2 =>
            throw new DomainException("dialing.invalid_attempt", "A redial is attempt 2 or later."),
        DialingContactCommand.ScheduleRedial c when state.Attempt >= c.Attempt && state.Phase != ContactPhase.Fresh => [],
        DialingContactCommand.ScheduleRedial c =>
            [new DialingContactEvent.RedialScheduled(c.TaskId, c.CustomerId, c.Attempt, c.DueAt, c.AfterOutcome, c.PreviousCallId, c.Now)],
        DialingContactCommand.MarkDue c when state.Phase is ContactPhase.Closed || c.Attempt < state.Attempt => [],
        DialingContactCommand.MarkDue c when state.Phase == ContactPhase.Due && state.Attempt == c.Attempt => [],
        DialingContactCommand.MarkDue c =>
            [new DialingContactEvent.RedialDue(c.TaskId, c.CustomerId, c.Attempt, AttemptCallId(c.TaskId, c.CustomerId, c.Attempt), c.Now)],
        DialingContactCommand.Refuse c when state.Phase == ContactPhase.Closed => [],
        DialingContactCommand.Refuse c =>
            [new DialingContactEvent.DialRefused(c.TaskId, c.CustomerId, c.Callee, c.Attempt, c.Reason, c.Detail, c.RetryAfter, c.Now)],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown contact command"),
    };

    public static DialingContact Evolve(DialingContact state, DialingContactEvent e) => e switch
    {
        DialingContactEvent.RedialScheduled s => state with { Phase = ContactPhase.Waiting, Attempt = s.Attempt, DueAt = s.DueAt },
        DialingContactEvent.RedialDue d => state with { Phase = ContactPhase.Due, Attempt = d.Attempt, DueAt = d.DueAt },
        DialingContactEvent.DialRefused r => state with
        {
            Phase = r.RetryAfter is null ? ContactPhase.Closed : ContactPhase.Waiting,
            Attempt = r.Attempt,
            DueAt = r.RetryAfter,
            LastRefusal = r.Reason,
        },
        _ => state,
    };
}
