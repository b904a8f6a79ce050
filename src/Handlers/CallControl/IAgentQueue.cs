using Aicc.Telephony.CallControl;

namespace Aicc.Handlers.CallControl;

/// <summary>A connected call waiting for a human: whose it is, which skill group it needs, and what the agent should see.</summary>
/// <param name="Leg">The customer's answered leg on the process's hub.</param>
/// <param name="Context">Why it came (e.g. the robot's transfer reason) and what the robot learned; shown on the agent's pop-up.</param>
public sealed record QueuedCall(
    Guid TenantId,
    Guid CallId,
    CallLegId Leg,
    string SkillGroup,
    string Caller,
    Guid? TaskId,
    IReadOnlyDictionary<string, string> Variables,
    string? Context,
    DateTimeOffset QueuedAt);

/// <summary>How waiting for an agent ended.</summary>
public enum QueueOutcome
{
    /// <summary>An agent answered and is bridged to the customer; the queue now carries the call.</summary>
    Connected,

    /// <summary>No agent answered within the time allowed; the customer's leg is still up and back with the caller of the queue.</summary>
    TimedOut,

    /// <summary>The customer hung up while waiting.</summary>
    CallerHungUp,
}

/// <summary>
/// The automatic call distributor as the rest of the platform sees it: the robot (on a transfer
/// intent), the dialer (an answered call of an agent task) and the inbound router put a call in
/// a skill group's queue; the queue offers it to the longest-idle ready agent, rings the agent's
/// phone and bridges on answer. Whoever queued the call decides what happens after a time-out
/// (the robot says nobody is free and offers a callback; the dialer plays the task's message and
/// counts an abandon).
/// </summary>
public interface IAgentQueue
{
    /// <summary>Waits for an agent up to <paramref name="timeout"/>; appends the call's queued/offered/connected events itself.</summary>
    Task<QueueOutcome> ConnectToAgentAsync(QueuedCall call, TimeSpan timeout, CancellationToken cancellationToken);
}
