namespace Aicc.Telephony.Audio;

/// <summary>
/// Single-frequency energy by the Goertzel algorithm, and a frequency estimate built on it.
/// Exists to prove audio really crossed a call (what a side recorded has the tone the other sent),
/// and later to detect in-band DTMF; cheaper than an FFT when only a few frequencies matter.
/// </summary>
public static class Goertzel
{
    /// <summary>The squared magnitude at <paramref name="frequencyHz"/>, normalized by length so windows compare.</summary>
    public static double Power(ReadOnlySpan<short> samples, double frequencyHz, int sampleRate = Codecs.FrameFormat.SampleRate)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequencyHz / sampleRate);
        double s1 = 0;
        double s2 = 0;
        foreach (var sample in samples)
        {
            var s0 = sample + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }
        var power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return power / ((double)samples.Length * samples.Length);
    }

    /// <summary>
    /// The frequency with the most energy between <paramref name="lowHz"/> and
    /// <paramref name="highHz"/>, scanned in <paramref name="stepHz"/> steps.
    /// </summary>
    public static double DominantFrequency(ReadOnlySpan<short> samples, double lowHz = 100, double highHz = 3900, double stepHz = 10, int sampleRate = Codecs.FrameFormat.SampleRate)
    {
        var best = lowHz;
        var bestPower = double.MinValue;
        for (var f = lowHz; f <= highHz; f += stepHz)
        {
            var power = Power(samples, f, sampleRate);
            if (power > bestPower)
            {
                bestPower = power;
                best = f;
            }
        }
        return best;
    }

    /// <summary>Share of the signal's total power found at one frequency (1 for a pure tone, near 0 for silence or noise).</summary>
    public static double PurityAt(ReadOnlySpan<short> samples, double frequencyHz, int sampleRate = Codecs.FrameFormat.SampleRate)
    {
        double total = 0;
        foreach (var sample in samples)
        {
            total += (double)sample * sample;
        }
        if (total == 0)
        {
            return 0;
        }
        // A pure sine of amplitude A has mean power A²/2 and Goertzel power A²/4 (normalized above).
        return Math.Min(1, 2 * Power(samples, frequencyHz, sampleRate) / (total / samples.Length));
    }
}
