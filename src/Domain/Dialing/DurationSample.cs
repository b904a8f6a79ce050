using System.Collections.Immutable;

namespace Aicc.Domain.Dialing;

/// <summary>
/// The most recent durations of one kind (ring, talk, wrap-up...), kept both in arrival order
/// (to forget the oldest) and sorted (for the empirical distribution). Empirical rather than a
/// fitted family because talk times are exponential in one campaign and lognormal in the next,
/// and the conditional remaining time of a busy agent depends on the shape, not just the mean.
/// </summary>
public sealed record DurationSample
{
    private DurationSample(int capacity, ImmutableArray<double> arrival, ImmutableArray<double> sorted, double sum)
    {
        Capacity = capacity;
        Arrival = arrival;
        Sorted = sorted;
        Sum = sum;
    }

    /// <summary>How many durations are remembered.</summary>
    public int Capacity { get; }

    /// <summary>The remembered durations, oldest first.</summary>
    public ImmutableArray<double> Arrival { get; }

    /// <summary>The remembered durations in ascending order.</summary>
    public ImmutableArray<double> Sorted { get; }

    private double Sum { get; }

    /// <summary>Number of remembered durations.</summary>
    public int Count => Sorted.Length;

    /// <summary>Mean of the remembered durations (0 when empty).</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    public static DurationSample Empty(int capacity) => new(capacity, [], [], 0);

    /// <summary>Remembers one more duration, forgetting the oldest when full.</summary>
    public DurationSample Add(double seconds)
    {
        var value = Math.Max(0, seconds);
        var arrival = Arrival;
        var sorted = Sorted;
        var sum = Sum;
        if (arrival.Length >= Capacity)
        {
            var oldest = arrival[0];
            arrival = arrival.RemoveAt(0);
            var at = sorted.BinarySearch(oldest);
            sorted = sorted.RemoveAt(at);
            sum -= oldest;
        }

        var insertAt = UpperBound(sorted, value);
        return new DurationSample(Capacity, arrival.Add(value), sorted.Insert(insertAt, value), sum + value);
    }

    /// <summary>Empirical P(duration &lt;= seconds).</summary>
    public double Cdf(double seconds) => Count == 0 ? 0 : (double)UpperBound(Sorted, seconds) / Count;

    /// <summary>Empirical P(duration &gt; seconds).</summary>
    public double Survival(double seconds) => 1 - Cdf(seconds);

    /// <summary>The empirical q-quantile (0 when empty).</summary>
    public double Quantile(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        var index = (int)Math.Clamp(Math.Floor(q * Count), 0, Count - 1);
        return Sorted[index];
    }

    private static int UpperBound(ImmutableArray<double> sorted, double value)
    {
        var lo = 0;
        var hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
