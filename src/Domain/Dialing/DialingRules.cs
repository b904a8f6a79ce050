namespace Aicc.Domain.Dialing;

/// <summary>
/// The regulator's fixed rules for outbound calls that pacing, the dialer and the simulator all
/// obey (US TSR 16 CFR 310.4(b)(4) and the UK Ofcom policy have the same shape): a live-answered
/// call must reach an agent within two seconds or get the recorded message and count as abandoned,
/// and an unanswered call must ring at least fifteen seconds before it is given up.
/// </summary>
public static class DialingRules
{
    /// <summary>Seconds an answered call may wait for a free agent before it is abandoned.</summary>
    public const double AgentGraceSeconds = 2.0;

    /// <summary>The shortest no-answer timeout allowed.</summary>
    public const double MinimumRingSeconds = 15.0;

    /// <summary>Default share of live-answered calls that may be abandoned.</summary>
    public const double DefaultAbandonCap = 0.03;

    /// <summary>A configured no-answer timeout, raised to the legal minimum.</summary>
    public static double NoAnswerTimeout(double configuredSeconds) =>
        Math.Max(MinimumRingSeconds, configuredSeconds);
}
