namespace Aicc.Domain.Dialing;

/// <summary>
/// How a task decides how many outbound calls to have in flight. The mode is a task setting;
/// the pacer switches on it.
/// </summary>
public enum PacingMode
{
    /// <summary>One call per ready agent, dialed only when the agent is ready (no abandonment possible).</summary>
    Progressive,

    /// <summary>A fixed number of calls per ready agent (the task's ratio).</summary>
    Power,

    /// <summary>Adaptive: as many calls as the abandon-rate cap allows, from online estimates.</summary>
    Predictive,

    /// <summary>Robot tasks: no agents, bounded by line channels, robot capacity and the rate limit.</summary>
    Agentless,
}
