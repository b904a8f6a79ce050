using System.Collections.Immutable;

namespace Aicc.Domain.Dialing;

/// <summary>
/// Online estimate of the probability that a placed call is answered, over the task's most
/// recent placements. Outcomes are censored: an answer shows up after ring seconds, a no-answer
/// only at the timeout, so averaging outcomes in the order they arrive swings with every burst
/// of placements. Instead each recent placement counts with the share of its answer chance that
/// has already elapsed (the ring-time distribution at its age): answers / that exposure is an
/// unbiased estimate even for calls still ringing. Short windows watch for abrupt rises (a new
/// list, the evening hour) and override the long one when they are clearly above it, so pacing
/// reacts within a few dozen placements where a rise is dangerous; a fall is safe and is
/// followed by the long window.
/// </summary>
public sealed record AnswerRateEstimate(ImmutableArray<long> Placements, ImmutableArray<long> AnsweredPlacements, long Outcomes)
{
    private const int History = 1500;
    private const double LongExposure = 300;
    private static readonly double[] ShortExposures = [15, 45];
    private const double MinimumExposure = 5;
    private const double RiseSigmas = 2.5;

    public static AnswerRateEstimate Empty { get; } = new([], [], 0);

    /// <summary>A call was placed.</summary>
    public AnswerRateEstimate Placed(DateTimeOffset at)
    {
        var placements = Placements.Length >= History ? Placements.RemoveAt(0) : Placements;
        placements = placements.Add(at.UtcTicks);
        var oldest = placements[0];
        var answered = AnsweredPlacements;
        while (!answered.IsEmpty && answered[0] < oldest)
        {
            answered = answered.RemoveAt(0);
        }

        return this with { Placements = placements, AnsweredPlacements = answered };
    }

    /// <summary>A call placed at <paramref name="placedAt"/> was answered.</summary>
    public AnswerRateEstimate Answered(DateTimeOffset placedAt)
    {
        var ticks = placedAt.UtcTicks;
        var index = AnsweredPlacements.Length;
        while (index > 0 && AnsweredPlacements[index - 1] > ticks)
        {
            index--;
        }

        return this with { AnsweredPlacements = AnsweredPlacements.Insert(index, ticks), Outcomes = Outcomes + 1 };
    }

    /// <summary>A call ended unanswered.</summary>
    public AnswerRateEstimate Unanswered() => this with { Outcomes = Outcomes + 1 };

    /// <summary>The answer probability pacing uses at <paramref name="now"/>, given the answered calls' ring times.</summary>
    public double Probability(DateTimeOffset now, DurationSample ringTimes)
    {
        if (Placements.IsEmpty)
        {
            return 0;
        }

        var (longAnswers, longExposure) = Window(now, ringTimes, LongExposure);
        if (longExposure < MinimumExposure)
        {
            // Nothing has had time to answer yet: assume every call will, which dials progressively.
            return 1;
        }

        var slow = Math.Min(1, longAnswers / longExposure);
        var p = Math.Clamp(slow, 0.02, 0.98);
        var estimate = slow;
        foreach (var target in ShortExposures)
        {
            var (answers, exposure) = Window(now, ringTimes, target);
            if (exposure <= 0)
            {
                continue;
            }

            // The short window's lower confidence bound: only a rise it is sure of counts.
            var rise = Math.Min(1, answers / exposure) - (RiseSigmas * Math.Sqrt(p * (1 - p) / exposure));
            estimate = Math.Max(estimate, rise);
        }

        return estimate;
    }

    /// <summary>
    /// The most recent placements whose summed exposure reaches <paramref name="targetExposure"/>
    /// (a window sized by information, not by count: at 10 calls a second the last 400 placements
    /// are all still ringing and would say nothing), with the answers among them.
    /// </summary>
    private (double Answers, double Exposure) Window(DateTimeOffset now, DurationSample ringTimes, double targetExposure)
    {
        var nowTicks = now.UtcTicks;
        var exposure = 0.0;
        var from = Placements.Length;
        while (from > 0 && exposure < targetExposure)
        {
            from--;
            exposure += ExposureAt(nowTicks - Placements[from], ringTimes);
        }

        // A batch placed in one decision shares its timestamp: keep it whole, answers are keyed by time.
        while (from > 0 && Placements[from - 1] == Placements[from])
        {
            from--;
            exposure += ExposureAt(nowTicks - Placements[from], ringTimes);
        }

        var oldest = Placements[from];
        var answers = 0;
        for (var i = AnsweredPlacements.Length - 1; i >= 0 && AnsweredPlacements[i] >= oldest; i--)
        {
            answers++;
        }

        return (answers, exposure);
    }

    private static double ExposureAt(long ageTicks, DurationSample ringTimes) =>
        ringTimes.Count == 0 ? 1 : ringTimes.Cdf(ageTicks / (double)TimeSpan.TicksPerSecond);
}
