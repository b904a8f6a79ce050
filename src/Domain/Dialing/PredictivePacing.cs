namespace Aicc.Domain.Dialing;

/// <summary>
/// Predictive pacing as a per-call risk test. A new call answered after ring time τ is abandoned
/// when the calls answered before it (already waiting, ringing calls answering within τ, other
/// calls placed in this same decision) use up every agent free by τ + the grace seconds (ready now,
/// or busy and finishing in time). Both counts are sums of independent chances computed from the
/// task's own empirical distributions, so their exact distributions give P(abandon | answered) for
/// the 1st, 2nd, ... new call, averaged over quantiles of the ring time. Calls are placed while that
/// marginal risk stays under the threshold set by <see cref="AbandonController"/>. Every placed call
/// then has abandon risk at most the threshold, so the model alone keeps the rate under it, and the
/// controller moves the threshold until the measured rate sits at the target.
/// </summary>
internal static class PredictivePacing
{
    private const int TailObservations = 20;
    // Edges of ring-time bins, finer in the tails: a call answered in 2 s finds only the agents
    // free within 4 s, so the short tail decides much of the risk.
    private static readonly double[] RingQuantileEdges = [0, 0.01, 0.03, 0.07, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95, 1];

    public static PacingDecision Decide(PacingSettings settings, DialerSnapshot snapshot, PacingStatistics statistics)
    {
        var progressive = ProgressivePacing.Count(snapshot);
        if (!statistics.IsWarm(settings, snapshot.WorkingAgents))
        {
            return new PacingDecision(progressive, "predictive warming up: progressive until enough calls are observed");
        }

        if (snapshot.WorkingAgents < settings.PredictiveAgentThreshold)
        {
            return new PacingDecision(progressive, $"fewer than {settings.PredictiveAgentThreshold} agents: progressive");
        }

        var threshold = AbandonController.Threshold(statistics, settings);
        var ringingRoom = (int)Math.Floor(settings.MaxDialLevel * snapshot.WorkingAgents) - snapshot.RingingCallAges.Length;
        if (ringingRoom <= 0)
        {
            return new PacingDecision(progressive, "max dial level reached", threshold);
        }

        var p = Math.Clamp(statistics.AnswerProbability(snapshot.Now), 0, 1);
        var points = RingQuantileEdges.Select(q => AnswerPoint.Build(statistics.RingTimes.Quantile(q), p, snapshot, statistics)).ToArray();
        var placed = 0;
        double? lastRisk = null;
        while (placed < ringingRoom)
        {
            var risk = BinnedRisk(points);
            if (risk > threshold)
            {
                break;
            }

            placed++;
            lastRisk = risk;
            foreach (var point in points)
            {
                point.AddNewCall();
            }
        }

        return placed >= progressive
            ? new PacingDecision(placed, placed == ringingRoom ? "max dial level reached" : "abandon risk at threshold", threshold, lastRisk, progressive)
            : new PacingDecision(progressive, "progressive floor", threshold, lastRisk);
    }

    /// <summary>
    /// E[risk over the ring time], each bin taking the larger risk of its two edges: the risk is
    /// monotone within a bin in the usual cases (an agent about to free, a crowd of ringing calls),
    /// so the sum errs on the safe side rather than missing the steep short-ring tail.
    /// </summary>
    private static double BinnedRisk(AnswerPoint[] points)
    {
        var risks = points.Select(point => point.Risk()).ToArray();
        var total = 0.0;
        for (var i = 1; i < risks.Length; i++)
        {
            total += (RingQuantileEdges[i] - RingQuantileEdges[i - 1]) * Math.Max(risks[i - 1], risks[i]);
        }

        return total;
    }

    /// <summary>The competition for agents as seen by a new call answered after <c>τ</c> seconds.</summary>
    private sealed class AnswerPoint
    {
        private double[] _answersBefore;
        private readonly double[] _agentsFree;
        private readonly double _newCallAnswersBefore;

        private AnswerPoint(double[] answersBefore, double[] agentsFree, double newCallAnswersBefore)
        {
            _answersBefore = answersBefore;
            _agentsFree = agentsFree;
            _newCallAnswersBefore = newCallAnswersBefore;
        }

        public static AnswerPoint Build(double tau, double p, DialerSnapshot snapshot, PacingStatistics statistics)
        {
            var ring = statistics.RingTimes;
            var unanswered = statistics.UnansweredDurations;
            var answerChances = new double[snapshot.RingingCallAges.Length];
            for (var i = 0; i < answerChances.Length; i++)
            {
                var age = snapshot.RingingCallAges[i];
                var answeredLater = p * ring.Survival(age);
                var stillRinging = answeredLater + ((1 - p) * (unanswered.Count == 0 ? 1 : unanswered.Survival(age)));
                answerChances[i] = stillRinging <= 0 ? 0 : p * (ring.Cdf(age + tau) - ring.Cdf(age)) / stillRinging;
            }

            var horizon = tau + DialingRules.AgentGraceSeconds;
            var freeChances = new double[snapshot.BusyAgents.Length];
            for (var j = 0; j < freeChances.Length; j++)
            {
                freeChances[j] = FreeWithin(snapshot.BusyAgents[j], horizon, statistics);
            }

            return new AnswerPoint(
                PoissonBinomial.Pmf(snapshot.AnsweredWaiting, answerChances, ignoreBelow: 1e-6),
                // Leaving out an agent's tiny chance to be free only errs on the safe side.
                PoissonBinomial.Pmf(snapshot.ReadyAgents, freeChances, ignoreBelow: 1e-4),
                p * ring.Cdf(tau));
        }

        /// <summary>P(the next new call finds every agent taken | it is answered at τ).</summary>
        public double Risk() => PoissonBinomial.AtLeast(_answersBefore, _agentsFree);

        /// <summary>The call just placed competes with the next one.</summary>
        public void AddNewCall() => _answersBefore = PoissonBinomial.AddChance(_answersBefore, _newCallAnswersBefore);
    }

    /// <summary>P(a busy agent is ready within the horizon), from the empirical talk and wrap-up times.</summary>
    private static double FreeWithin(BusyAgent agent, double horizon, PacingStatistics statistics)
    {
        var talk = statistics.TalkTimes;
        var wrap = statistics.WrapTimes;
        if (agent.Phase == AgentPhase.WrappingUp)
        {
            return Conditional(wrap, agent.ElapsedSeconds, agent.ElapsedSeconds + horizon, Math.Max(1, wrap.Mean));
        }

        // Remaining talk must fit before the horizon minus a typical wrap-up.
        var talkDeadline = agent.ElapsedSeconds + horizon - wrap.Mean;
        return talkDeadline <= agent.ElapsedSeconds
            ? 0
            : Conditional(talk, agent.ElapsedSeconds, talkDeadline, Math.Max(1, talk.Mean));
    }

    /// <summary>
    /// P(duration &lt;= until | duration &gt; elapsed). Empirical while enough observations lie
    /// beyond <paramref name="elapsed"/>; in the thin tail (an unusually long call) the few
    /// observations would claim certainty, so the remaining time is taken as exponential with
    /// the tail's mean residual instead.
    /// </summary>
    private static double Conditional(DurationSample sample, double elapsed, double until, double fallbackMean)
    {
        if (sample.Count == 0)
        {
            return 0;
        }

        var sorted = sample.Sorted;
        var firstBeyond = sorted.Length - (int)Math.Round(sample.Survival(elapsed) * sorted.Length);
        var beyond = sorted.Length - firstBeyond;
        if (beyond >= TailObservations)
        {
            return Math.Clamp((sample.Cdf(until) - sample.Cdf(elapsed)) / sample.Survival(elapsed), 0, 1);
        }

        var residual = fallbackMean;
        if (beyond > 0)
        {
            var sum = 0.0;
            for (var i = firstBeyond; i < sorted.Length; i++)
            {
                sum += sorted[i];
            }

            residual = Math.Max((sum / beyond) - elapsed, fallbackMean / 2);
        }

        return 1 - Math.Exp(-(until - elapsed) / residual);
    }
}
