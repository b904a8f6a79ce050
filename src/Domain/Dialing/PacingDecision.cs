namespace Aicc.Domain.Dialing;

/// <summary>
/// The pacer's answer: how many calls to start now, and why, so the dialer can log and the
/// supervisor can see what bounded the dialing.
/// </summary>
/// <param name="CallsToPlace">New calls to start now (never negative).</param>
/// <param name="Reason">What bounded the number (mode, capacity, model risk, warm-up, threshold).</param>
/// <param name="RiskThreshold">The per-call abandon-risk threshold in force (predictive only).</param>
/// <param name="MarginalRisk">Modelled abandon probability of the last call placed (predictive only).</param>
/// <param name="SafeCalls">How many of the calls (the first ones) progressive dialing would also place: they
/// cannot be abandoned; the rest are dialed ahead and teach the abandon controller.</param>
public sealed record PacingDecision(int CallsToPlace, string Reason, double? RiskThreshold = null, double? MarginalRisk = null, int? SafeCalls = null)
{
    /// <summary>True when the call at this index of the batch is dialed ahead of a ready agent.</summary>
    public bool DialedAhead(int index) => index >= (SafeCalls ?? CallsToPlace);
}
