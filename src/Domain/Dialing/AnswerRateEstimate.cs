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
    private const int LongWindow = 400;
    private static readonly int[] ShortWindows = [20, 60];
    private const double RiseSigmas = 2.5;

    public static AnswerRateEstimate Empty { get; } = new([], [], 0);

    /// <summary>A call was placed.</summary>
    public AnswerRateEstimate Placed(DateTimeOffset at)
    {
        var placements = Placements.Length >= LongWindow ? Placements.RemoveAt(0) : Placements;
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

        var (longAnswers, longExposure) = Window(now, ringTimes, Placements.Length);
        var slow = longExposure > 0 ? Math.Min(1, longAnswers / longExposure) : 0;
        var p = Math.Clamp(slow, 0.02, 0.98);
        var estimate = slow;
        foreach (var size in ShortWindows)
        {
            var (answers, exposure) = Window(now, ringTimes, Math.Min(size, Placements.Length));
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

    private (double Answers, double Exposure) Window(DateTimeOffset now, DurationSample ringTimes, int count)
    {
        var nowTicks = now.UtcTicks;
        var from = Placements.Length - count;
        // A batch placed in one decision shares its timestamp: keep it whole, answers are keyed by time.
        while (from > 0 && Placements[from - 1] == Placements[from])
        {
            from--;
        }

        var exposure = 0.0;
        for (var i = from; i < Placements.Length; i++)
        {
            exposure += ringTimes.Count == 0 ? 1 : ringTimes.Cdf((nowTicks - Placements[i]) / (double)TimeSpan.TicksPerSecond);
        }

        var oldest = Placements[from];
        var answers = 0;
        for (var i = AnsweredPlacements.Length - 1; i >= 0 && AnsweredPlacements[i] >= oldest; i--)
        {
            answers++;
        }

        return (answers, exposure);
    }
}
