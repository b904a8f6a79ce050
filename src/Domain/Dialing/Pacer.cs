namespace Aicc.Domain.Dialing;

/// <summary>
/// The pure pacing decision: given a task's settings, its floor right now and what it has
/// learned, how many new calls to start. The live dialer and the simulator call exactly this,
/// so the simulator's figures are the dialer's figures.
/// </summary>
public static class Pacer
{
    public static PacingDecision Decide(PacingSettings settings, DialerSnapshot snapshot, PacingStatistics statistics)
    {
        var limit = CapacityLimit(settings, snapshot);
        var decision = settings.Mode switch
        {
            PacingMode.Progressive => ProgressivePacing.Decide(snapshot, "progressive"),
            PacingMode.Power => PowerPacing.Decide(settings, snapshot),
            PacingMode.Predictive => PredictivePacing.Decide(settings, snapshot, statistics),
            PacingMode.Agentless => AgentlessPacing.Decide(snapshot),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Mode, "unknown pacing mode"),
        };
        return decision.CallsToPlace > limit
            ? decision with { CallsToPlace = limit, Reason = limit == 0 ? "no line channel or rate budget" : "bounded by line channels or rate limit" }
            : decision;
    }

    /// <summary>Line channels and the per-minute rate limit bound every mode.</summary>
    private static int CapacityLimit(PacingSettings settings, DialerSnapshot snapshot)
    {
        var limit = Math.Max(0, snapshot.FreeLineChannels);
        if (settings.MaxCallsPerMinute is { } perMinute)
        {
            limit = Math.Min(limit, Math.Max(0, perMinute - snapshot.CallsStartedLastMinute));
        }

        return limit;
    }
}

/// <summary>One call per ready agent not already covered by a call in flight: nothing can be abandoned.</summary>
internal static class ProgressivePacing
{
    public static int Count(DialerSnapshot snapshot) => Math.Max(0, snapshot.ReadyAgents - snapshot.CallsInFlight);

    public static PacingDecision Decide(DialerSnapshot snapshot, string reason) => new(Count(snapshot), reason);
}

/// <summary>A fixed number of ringing calls per ready agent (classic power dialing).</summary>
internal static class PowerPacing
{
    public static PacingDecision Decide(PacingSettings settings, DialerSnapshot snapshot)
    {
        var unclaimed = Math.Max(0, snapshot.ReadyAgents - snapshot.AnsweredWaiting);
        var target = (int)Math.Floor((settings.PowerRatio * unclaimed) + 1e-9);
        return new PacingDecision(Math.Max(0, target - snapshot.RingingCallAges.Length), $"power ratio {settings.PowerRatio}", SafeCalls: ProgressivePacing.Count(snapshot));
    }
}

/// <summary>
/// Robot tasks: every answered call gets a robot, so a robot session is reserved for each call
/// in flight and the task dials as fast as robots (and, in <see cref="Pacer"/>, lines and the rate limit) allow.
/// </summary>
internal static class AgentlessPacing
{
    public static PacingDecision Decide(DialerSnapshot snapshot) =>
        new(Math.Max(0, snapshot.FreeRobotSlots - snapshot.CallsInFlight), "robot capacity");
}
