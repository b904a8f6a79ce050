namespace Aicc.Domain.Dialing.Simulation;

/// <summary>
/// xoshiro256** seeded through splitmix64 (Blackman and Vigna): our own generator so that a
/// scenario's seed gives the same figures on every runtime, which System.Random does not promise.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double? _spareNormal;

    public SeededRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (Marsaglia's polar method).</summary>
    public double NextNormal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }

        double u;
        double v;
        double s;
        do
        {
            u = (2 * NextDouble()) - 1;
            v = (2 * NextDouble()) - 1;
            s = (u * u) + (v * v);
        }
        while (s >= 1 || s == 0);

        var factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * factor;
        return u * factor;
    }

    public double NextExponential(double mean) => -mean * Math.Log(1 - NextDouble());

    /// <summary>Lognormal with the given mean and standard deviation (of the variable itself).</summary>
    public double NextLognormal(double mean, double sd)
    {
        if (sd <= 0)
        {
            return mean;
        }

        var sigma2 = Math.Log(1 + (sd * sd / (mean * mean)));
        var mu = Math.Log(mean) - (sigma2 / 2);
        return Math.Exp(mu + (Math.Sqrt(sigma2) * NextNormal()));
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
