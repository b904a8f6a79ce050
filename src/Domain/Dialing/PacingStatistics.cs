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

    /// <summary>True once the model has enough data to be trusted.</summary>
    public bool IsWarm(PacingSettings settings) =>
        RingTimes.Count >= settings.MinimumSamples && TalkTimes.Count >= settings.MinimumSamples && AnswerRate.Outcomes >= 2L * settings.MinimumSamples;

    /// <summary>The answer probability at <paramref name="now"/> (see <see cref="AnswerRateEstimate"/>).</summary>
    public double AnswerProbability(DateTimeOffset now) => AnswerRate.Probability(now, RingTimes);

    /// <summary>A call was placed.</summary>
    public PacingStatistics CallPlaced(DateTimeOffset at) => this with { AnswerRate = AnswerRate.Placed(at) };

    /// <summary>A call was answered at <paramref name="at"/> after ringing this long.</summary>
    public PacingStatistics CallAnswered(DateTimeOffset at, double ringSeconds) =>
        this with { AnswerRate = AnswerRate.Answered(at.AddSeconds(-ringSeconds)), RingTimes = RingTimes.Add(ringSeconds) };

    /// <summary>A call ended without an answer (no answer, busy, failed) after this long.</summary>
    public PacingStatistics CallUnanswered(double durationSeconds) =>
        this with { AnswerRate = AnswerRate.Unanswered(), UnansweredDurations = UnansweredDurations.Add(durationSeconds) };

    /// <summary>An agent finished talking after this long.</summary>
    public PacingStatistics TalkEnded(double talkSeconds) => this with { TalkTimes = TalkTimes.Add(talkSeconds) };

    /// <summary>An agent finished wrap-up after this long.</summary>
    public PacingStatistics WrapEnded(double wrapSeconds) => this with { WrapTimes = WrapTimes.Add(wrapSeconds) };

    /// <summary>A live-answered call reached an agent (false) or was abandoned (true).</summary>
    public PacingStatistics LiveAnswerResolved(DateTimeOffset at, bool abandoned, PacingSettings settings) => this with
    {
        Ledger = Ledger.Record(at, abandoned, settings.Window),
        LogRiskThreshold = AbandonController.Update(LogRiskThreshold, abandoned, settings),
    };
}
