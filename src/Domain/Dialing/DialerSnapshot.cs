using System.Collections.Immutable;

namespace Aicc.Domain.Dialing;

/// <summary>What a busy agent is doing, for predicting when the agent is free again.</summary>
public enum AgentPhase
{
    Talking,
    WrappingUp,
}

/// <summary>A busy agent who will take calls again: the phase and how long it has lasted so far.</summary>
public sealed record BusyAgent(AgentPhase Phase, double ElapsedSeconds);

/// <summary>
/// The floor of one task at one instant, loaded by the dialer (or built by the simulator) and
/// handed to the pure pacer. Agents about to log off are left out of <see cref="BusyAgents"/>:
/// they will not take another call.
/// </summary>
/// <param name="Now">The decision instant.</param>
/// <param name="ReadyAgents">Agents idle and waiting for a call.</param>
/// <param name="BusyAgents">Agents talking or wrapping up who will be ready again.</param>
/// <param name="RingingCallAges">Seconds each ringing (not yet answered) call has been ringing.</param>
/// <param name="AnsweredWaiting">Answered calls waiting (within the grace seconds) for an agent.</param>
/// <param name="FreeLineChannels">Line channels free for new calls.</param>
/// <param name="FreeRobotSlots">Robot sessions free (agentless tasks).</param>
/// <param name="CallsStartedLastMinute">Calls this task started in the last 60 s (rate limit).</param>
public sealed record DialerSnapshot(
    DateTimeOffset Now,
    int ReadyAgents,
    ImmutableArray<BusyAgent> BusyAgents,
    ImmutableArray<double> RingingCallAges,
    int AnsweredWaiting,
    int FreeLineChannels,
    int FreeRobotSlots = 0,
    int CallsStartedLastMinute = 0)
{
    /// <summary>Agents who are logged in and will take calls.</summary>
    public int WorkingAgents => ReadyAgents + BusyAgents.Length;

    /// <summary>Calls that may still need an agent: ringing plus answered-waiting.</summary>
    public int CallsInFlight => RingingCallAges.Length + AnsweredWaiting;
}
