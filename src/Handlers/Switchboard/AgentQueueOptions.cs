using Aicc.Handlers.CallControl;
using Aicc.Handlers.Recording;

namespace Aicc.Handlers.Switchboard;

/// <summary>Tuning of the automatic call distributor; the defaults suit a floor of human agents.</summary>
public sealed record AgentQueueOptions
{
    /// <summary>Names this process in its call claims (acd_calls.node); defaults to host:pid:random.</summary>
    public string NodeId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>How long one agent's phone rings before the offer is withdrawn and the next agent is tried.</summary>
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often a waiting call looks at the agent board again. Agents become ready through
    /// other processes (the console's HTTP node, the wrap-up timer), so a change made here also
    /// wakes the waiting calls at once; the poll covers the rest.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a waiting call's claim holds without renewal. A node renews its waiting calls'
    /// claims as it polls; a crashed node's calls (and their legs) are gone, and once their claims
    /// lapse they no longer hold up younger calls of other nodes in first-in-first-out order.
    /// </summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wrap-up (after-call work) for a call, from the task's or tenant's setting; 30 s unless the host plugs those in.</summary>
    public Func<QueuedCall, TimeSpan> AfterCallWork { get; init; } = _ => TimeSpan.FromSeconds(30);

    /// <summary>How long a call an agent transferred waits for the new agent or group before the platform ends it.</summary>
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where bridged calls of tenants that record calls are recorded; null records nothing (the host sets its data folder's).</summary>
    public RecordingsFolder? Recordings { get; init; }
}
