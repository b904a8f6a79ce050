namespace Aicc.Domain.Dialing;

/// <summary>
/// Everything predictive pacing has learned about one task from its own calls: answer
/// probability, ring times of answered calls, how long unanswered calls lasted, talk and
/// wrap-up times, the abandon ledger and the abandon controller's state. Immutable; each
/// observation returns the next value, so the dialer can fold it from the task's events.
/// </summary>
public sealed record PacingStatistics(
    AnswerRateEstimate AnswerRate,
    DurationSample RingTimes,
    DurationSample UnansweredDurations,
    DurationSample TalkTimes,
    DurationSample WrapTimes,
    AbandonLedger Ledger,
    double LogRiskThreshold)
{
    private const int SampleCapacity = 400;

    /// <summary>Statistics of a task that has not dialed yet.</summary>
    public static PacingStatistics Initial(PacingSettings settings) => new(
        AnswerRateEstimate.Empty,
        DurationSample.Empty(SampleCapacity),
        DurationSample.Empty(SampleCapacity),
        DurationSample.Empty(SampleCapacity),
        DurationSample.Empty(SampleCapacity),
        AbandonLedger.Empty,
        AbandonController.InitialLogThreshold(settings));

    /// <summary>
    /// True once the model has enough data to be trusted. Talks that end first are the short ones,
    /// so a big team's first finished talks make agents look about to be free: the model waits for
    /// two talks per working agent (a full round) before it trusts the talk times.
    /// </summary>
    public bool IsWarm(PacingSettings settings, int workingAgents) =>
        RingTimes.Count >= settings.MinimumSamples
        && TalkTimes.Count >= Math.Min(TalkTimes.Capacity, Math.Max(settings.MinimumSamples, 2 * workingAgents))
        && AnswerRate.Outcomes >= 2L * settings.MinimumSamples;

    /// <summary>The answer probability at <paramref name="now"/> (see <see cref="AnswerRateEstimate"/>).</summary>
    public double AnswerProbability(DateTimeOffset now) => AnswerRate.Probability(now, RingTimes);

    /// <summary>A call was placed.</summary>
    public PacingStatistics CallPlaced(DateTimeOffset at) => this with { AnswerRate = AnswerRate.Placed(at) };

    /// <summary>The call placed at <paramref name="placedAt"/> (the same instant given to <see cref="CallPlaced"/>) was answered.</summary>
    public PacingStatistics CallAnswered(DateTimeOffset placedAt, DateTimeOffset answeredAt) =>
        this with { AnswerRate = AnswerRate.Answered(placedAt), RingTimes = RingTimes.Add((answeredAt - placedAt).TotalSeconds) };

    /// <summary>A call ended without an answer (no answer, busy, failed) after this long.</summary>
    public PacingStatistics CallUnanswered(double durationSeconds) =>
        this with { AnswerRate = AnswerRate.Unanswered(), UnansweredDurations = UnansweredDurations.Add(durationSeconds) };

    /// <summary>An agent finished talking after this long.</summary>
    public PacingStatistics TalkEnded(double talkSeconds) => this with { TalkTimes = TalkTimes.Add(talkSeconds) };

    /// <summary>An agent finished wrap-up after this long.</summary>
    public PacingStatistics WrapEnded(double wrapSeconds) => this with { WrapTimes = WrapTimes.Add(wrapSeconds) };

    /// <summary>
    /// A live-answered call reached an agent or was abandoned. <paramref name="dialedAhead"/>: the
    /// call was placed beyond what progressive dialing would have placed (see
    /// <see cref="PacingDecision.DialedAhead"/>); only such calls may raise the threshold.
    /// </summary>
    public PacingStatistics LiveAnswerResolved(DateTimeOffset at, bool abandoned, bool dialedAhead, PacingSettings settings) => this with
    {
        Ledger = Ledger.Record(at, abandoned, settings.Window),
        LogRiskThreshold = AbandonController.Update(LogRiskThreshold, abandoned, dialedAhead, settings),
    };
}
