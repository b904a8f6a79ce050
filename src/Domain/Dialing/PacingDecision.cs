namespace Aicc.Domain.Dialing;

/// <summary>
/// The pacer's answer: how many calls to start now, and why, so the dialer can log and the
/// supervisor can see what bounded the dialing.
/// </summary>
/// <param name="CallsToPlace">New calls to start now (never negative).</param>
/// <param name="Reason">What bounded the number (mode, capacity, model risk, warm-up, threshold).</param>
/// <param name="RiskThreshold">The per-call abandon-risk threshold in force (predictive only).</param>
/// <param name="MarginalRisk">Modelled abandon probability of the last call placed (predictive only).</param>
public sealed record PacingDecision(int CallsToPlace, string Reason, double? RiskThreshold = null, double? MarginalRisk = null);
