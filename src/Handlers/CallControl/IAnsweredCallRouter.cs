using Aicc.Telephony.CallControl;

namespace Aicc.Handlers.CallControl;

/// <summary>An outbound call the customer just answered, as the dialer hands it on.</summary>
/// <param name="Leg">The customer's leg on the hub's call control.</param>
/// <param name="Variables">The customer's row (script variables, agent pop-up).</param>
public sealed record AnsweredCall(
    Guid TenantId,
    Guid TaskId,
    Guid CallId,
    Guid CustomerId,
    CallLegId Leg,
    string CustomerPhone,
    IReadOnlyDictionary<string, string> Variables,
    DateTimeOffset AnsweredAt);

/// <summary>
/// Where an answered outbound call goes next: the task's robot, its agents' queue, or (when
/// nobody is free within the time the rules allow) the task's message. The dialer that placed
/// the call keeps watching its leg and closes the call's stream when the leg hangs up (so line
/// channels and pacing statistics stay with the dialer); the router appends only what it does
/// (robot connected, turns, queued, offered, agent connected) and ends the leg when its
/// conversation is over.
/// </summary>
public interface IAnsweredCallRouter
{
    /// <summary>Takes the call over; returns once the router has started carrying it (not when the call ends).</summary>
    Task TakeOverAsync(AnsweredCall call, CancellationToken cancellationToken);
}
