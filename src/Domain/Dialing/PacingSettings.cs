namespace Aicc.Domain.Dialing;

/// <summary>
/// A task's pacing configuration: the mode and the bounds every mode must respect. Loaded with
/// the task and passed to <see cref="Pacer.Decide"/> with each snapshot.
/// </summary>
/// <param name="Mode">The pacing mode.</param>
/// <param name="PowerRatio">Calls per ready agent in <see cref="PacingMode.Power"/>.</param>
/// <param name="AbandonCap">Largest allowed abandoned / live-answered share over <paramref name="AbandonWindow"/>.</param>
/// <param name="AbandonTargetShare">The controller aims at this share of the cap, the rest is safety margin.</param>
/// <param name="AbandonWindow">The regulator's measuring window (30 days per campaign in the US).</param>
/// <param name="PredictiveAgentThreshold">Below this many working agents predictive behaves progressively (VICIdial's dial_level_threshold idea).</param>
/// <param name="MaxDialLevel">Upper bound on ringing calls per working agent, whatever the model says.</param>
/// <param name="MinimumSamples">Answered calls (and at least this many finished talks, two per working agent for big teams) needed before the predictive model is trusted.</param>
/// <param name="MaxCallsPerMinute">The task's rate limit (null: none).</param>
public sealed record PacingSettings(
    PacingMode Mode,
    double PowerRatio = 2.0,
    double AbandonCap = DialingRules.DefaultAbandonCap,
    double AbandonTargetShare = 0.75,
    TimeSpan? AbandonWindow = null,
    int PredictiveAgentThreshold = 4,
    double MaxDialLevel = 8.0,
    int MinimumSamples = 20,
    int? MaxCallsPerMinute = null)
{
    /// <summary>The measuring window, 30 days unless configured.</summary>
    public TimeSpan Window => AbandonWindow ?? TimeSpan.FromDays(30);

    /// <summary>The abandon rate the controller steers to.</summary>
    public double AbandonTarget => AbandonCap * AbandonTargetShare;
}
