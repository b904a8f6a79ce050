using Aicc.Domain.Compliance;

namespace Aicc.Domain.Dialing.Contacts;

/// <summary>
/// What happened to one customer of one task between attempts: redials planned and made due,
/// and dials the compliance gate refused. One short stream per (task, customer) so the dialer
/// (which plans and refuses) and the scheduler (which makes redials due) rarely write the same
/// stream at once, and a supervisor can read why a number was or was not called.
/// </summary>
public abstract record DialingContactEvent
{
    private DialingContactEvent()
    {
    }

    public abstract Guid TaskId { get; init; }

    public abstract Guid CustomerId { get; init; }

    /// <summary>
    /// Attempt <paramref name="Attempt"/> will be due at <paramref name="DueAt"/> because the
    /// previous one ended with <paramref name="AfterOutcome"/> and the redial policy allows another.
    /// Appended in the same transaction as the previous attempt's hang-up and the scheduled message.
    /// </summary>
    public sealed record RedialScheduled(Guid TaskId, Guid CustomerId, int Attempt, DateTimeOffset DueAt, DialOutcome AfterOutcome, Guid PreviousCallId, DateTimeOffset ScheduledAt) : DialingContactEvent;

    /// <summary>The scheduled time came: attempt <paramref name="Attempt"/> (call <paramref name="CallId"/>) may be dialed now.</summary>
    public sealed record RedialDue(Guid TaskId, Guid CustomerId, int Attempt, Guid CallId, DateTimeOffset DueAt) : DialingContactEvent;

    /// <summary>
    /// The gate refused attempt <paramref name="Attempt"/>; with <paramref name="RetryAfter"/> the
    /// attempt is tried again then (a closed calling window), without it the customer is not dialed again.
    /// </summary>
    public sealed record DialRefused(Guid TaskId, Guid CustomerId, string Callee, int Attempt, RefusalReason Reason, string Detail, DateTimeOffset? RetryAfter, DateTimeOffset RefusedAt) : DialingContactEvent;
}

/// <summary>Requests about one customer's dialing between attempts.</summary>
public abstract record DialingContactCommand
{
    private DialingContactCommand()
    {
    }

    /// <summary>Plan attempt <paramref name="Attempt"/> after the previous call ended.</summary>
    public sealed record ScheduleRedial(Guid TaskId, Guid CustomerId, int Attempt, DateTimeOffset DueAt, DialOutcome AfterOutcome, Guid PreviousCallId, DateTimeOffset Now) : DialingContactCommand;

    /// <summary>The scheduler says attempt <paramref name="Attempt"/> is due.</summary>
    public sealed record MarkDue(Guid TaskId, Guid CustomerId, int Attempt, DateTimeOffset Now) : DialingContactCommand;

    /// <summary>The compliance gate (or the number pool) refused to place attempt <paramref name="Attempt"/>.</summary>
    public sealed record Refuse(Guid TaskId, Guid CustomerId, string Callee, int Attempt, RefusalReason Reason, string Detail, DateTimeOffset? RetryAfter, DateTimeOffset Now) : DialingContactCommand;
}
