namespace Aicc.Domain.Dialing;

/// <summary>
/// Distribution of a count of independent yes/no events with different probabilities
/// (calls that may be answered, agents who may become free): the exact distribution, not a
/// normal approximation, because with a handful of agents the tails decide abandonment.
/// </summary>
internal static class PoissonBinomial
{
    private const double Negligible = 1e-9;

    /// <summary>
    /// P(count = k) for a count of <paramref name="certain"/> sure events plus the given chances.
    /// Chances below <paramref name="ignoreBelow"/> are left out and the support is cut ten standard
    /// deviations above the mean: with a hundred agents and as many ringing calls this keeps each
    /// decision cheap without changing the figures.
    /// </summary>
    public static double[] Pmf(int certain, ReadOnlySpan<double> probabilities, double ignoreBelow = Negligible)
    {
        var mean = 0.0;
        var variance = 0.0;
        var uncertain = 0;
        foreach (var p in probabilities)
        {
            if (p > ignoreBelow)
            {
                uncertain++;
                mean += p;
                variance += p * (1 - p);
            }
        }

        var span = Math.Min(uncertain, (int)Math.Ceiling(mean + (10 * Math.Sqrt(variance)) + 8));
        var pmf = new double[certain + span + 1];
        pmf[certain] = 1;
        var top = certain;
        foreach (var raw in probabilities)
        {
            if (raw <= ignoreBelow)
            {
                continue;
            }

            var p = Math.Min(1, raw);
            top = Math.Min(top + 1, pmf.Length - 1);
            for (var k = top; k > certain; k--)
            {
                pmf[k] = (pmf[k] * (1 - p)) + (pmf[k - 1] * p);
            }

            pmf[certain] *= 1 - p;
        }

        return pmf;
    }

    /// <summary>The distribution after adding one more event with probability p.</summary>
    public static double[] AddChance(double[] pmf, double p)
    {
        var next = new double[pmf.Length + 1];
        for (var k = 0; k < pmf.Length; k++)
        {
            next[k] += pmf[k] * (1 - p);
            next[k + 1] += pmf[k] * p;
        }

        return next;
    }

    /// <summary>P(A &gt;= B) for independent counts A and B given by their distributions.</summary>
    public static double AtLeast(double[] a, double[] b)
    {
        // tail[x] = P(A >= x)
        var tail = new double[a.Length + 1];
        for (var x = a.Length - 1; x >= 0; x--)
        {
            tail[x] = tail[x + 1] + a[x];
        }

        var total = 0.0;
        for (var f = 0; f < b.Length; f++)
        {
            if (b[f] == 0)
            {
                continue;
            }

            total += b[f] * (f < tail.Length ? tail[f] : 0);
        }

        return Math.Min(1, total);
    }
}
