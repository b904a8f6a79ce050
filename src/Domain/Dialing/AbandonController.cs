namespace Aicc.Domain.Dialing;

/// <summary>
/// Feedback on the measured abandon rate. The model gives each candidate call an abandon
/// probability; this controller sets the threshold that probability must stay under.
/// <list type="bullet">
/// <item>An integrator on log(threshold): every live answer moves it by gain x (target - abandoned),
/// so at equilibrium exactly the target share is abandoned whatever the model's bias, and each
/// abandon cuts the threshold at once (fast on the downside, slow on the upside). It is clamped
/// (anti-windup), so a quiet warm-up does not bank a budget that is later spent in a burst.</item>
/// <item>A budget guard over the regulator's window: when the window's abandons, plus a margin for
/// their own noise, exceed the cap's share of its live answers, the threshold is squeezed
/// exponentially in the excess, so the
/// campaign's rate is pulled back under the cap even after an unavoidable burst
/// (agents logging off with calls in flight, a sudden jump in answer rate).</item>
/// </list>
/// </summary>
public static class AbandonController
{
    private const double Gain = 0.12;
    private const double MinThreshold = 0.0002;
    private const double MaxThreshold = 0.35;
    private const double BudgetSqueeze = 1.0;
    private const double GuardSigmas = 2.0;

    /// <summary>Starts at the cap itself: the model alone would then abandon well under it.</summary>
    public static double InitialLogThreshold(PacingSettings settings) =>
        Math.Log(Math.Clamp(settings.AbandonCap / 2, MinThreshold, MaxThreshold));

    /// <summary>
    /// The integrator step for one resolved live answer. Every abandon lowers the threshold; a
    /// connected call raises it only if it was dialed ahead: calls progressive dialing would have
    /// placed anyway (warm-up, few agents, a ready agent waiting) say nothing about the threshold,
    /// and letting them raise it would wind it up before predictive dialing even starts.
    /// </summary>
    public static double Update(double logThreshold, bool abandoned, bool dialedAhead, PacingSettings settings)
    {
        if (!abandoned && !dialedAhead)
        {
            return logThreshold;
        }

        var error = settings.AbandonTarget - (abandoned ? 1.0 : 0.0);
        return Math.Clamp(logThreshold + (Gain * error), Math.Log(MinThreshold), Math.Log(MaxThreshold));
    }

    /// <summary>The per-call abandon-risk threshold in force now.</summary>
    public static double Threshold(PacingStatistics statistics, PacingSettings settings)
    {
        var ledger = statistics.Ledger;
        // The window's abandons plus their own noise (a Poisson upper bound) against the cap:
        // small teams and short windows get the larger margin they need.
        var excess = ledger.Abandoned + (GuardSigmas * Math.Sqrt(ledger.Abandoned + 1.0)) - (settings.AbandonCap * ledger.Answered);
        var guard = excess > 0 ? Math.Exp(-BudgetSqueeze * excess) : 1.0;
        return Math.Max(MinThreshold, Math.Exp(statistics.LogRiskThreshold) * guard);
    }
}
