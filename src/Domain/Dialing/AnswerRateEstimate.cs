namespace Aicc.Domain.Dialing;

/// <summary>
/// Online estimate of the probability that a placed call is answered. A slow exponentially
/// weighted average gives a steady estimate; a fast one watches for abrupt changes (a new list,
/// the evening hour) and, when the two disagree by more than the fast one's noise explains, the
/// slow one jumps to the fast one so pacing reacts within a few dozen outcomes instead of hundreds.
/// </summary>
public sealed record AnswerRateEstimate(double Slow, double Fast, long Outcomes)
{
    private const double SlowWeight = 1.0 / 300;
    private const double FastWeight = 1.0 / 40;
    private const double ChangeSigmas = 3.0;

    public static AnswerRateEstimate Empty { get; } = new(0, 0, 0);

    /// <summary>The answer probability pacing uses.</summary>
    public double Probability => Slow;

    /// <summary>Adds one resolved call: answered or not.</summary>
    public AnswerRateEstimate Observe(bool answered)
    {
        var x = answered ? 1.0 : 0.0;
        var n = Outcomes + 1;
        // Plain averages until enough outcomes, so the first estimates are not biased to zero.
        var slowWeight = Math.Max(SlowWeight, 1.0 / n);
        var fastWeight = Math.Max(FastWeight, 1.0 / n);
        var slow = Slow + (slowWeight * (x - Slow));
        var fast = Fast + (fastWeight * (x - Fast));
        if (n >= 2 / FastWeight)
        {
            var p = Math.Clamp(slow, 0.01, 0.99);
            var fastSd = Math.Sqrt(p * (1 - p) * FastWeight / (2 - FastWeight));
            if (Math.Abs(fast - slow) > (ChangeSigmas * fastSd) + 0.02)
            {
                slow = fast;
            }
        }

        return new AnswerRateEstimate(slow, fast, n);
    }
}
