namespace Aicc.Telephony.Audio;

/// <summary>
/// Simple sample-rate conversion between the telephone band (8 kHz) and wideband (16 kHz)
/// engines such as pocketsphinx, which refuses 8 kHz. 16k to 8k low-passes with a short
/// half-band filter before dropping every other sample (else speech above 4 kHz aliases);
/// 8k to 16k interpolates linearly. Other rates go through linear interpolation, after a moving
/// average when reducing the rate; good enough for prompts, not for music.
/// </summary>
public static class Resampler
{
    // Symmetric half-band low-pass (cut-off ~3.6 kHz at 16 kHz), coefficients sum to 1.
    private static readonly double[] HalfBand = [-0.0256, 0, 0.2756, 0.5, 0.2756, 0, -0.0256];

    /// <summary>Converts audio to another rate.</summary>
    public static PcmAudio Convert(PcmAudio audio, int targetRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetRate, 1000);
        if (audio.SampleRate == targetRate)
        {
            return audio;
        }
        if (audio.SampleRate == 2 * targetRate)
        {
            return new PcmAudio(Decimate2(audio.Samples), targetRate);
        }
        if (targetRate == 2 * audio.SampleRate)
        {
            return new PcmAudio(Interpolate2(audio.Samples), targetRate);
        }
        var source = audio.Samples;
        if (targetRate < audio.SampleRate)
        {
            source = MovingAverage(source, (int)Math.Round((double)audio.SampleRate / targetRate));
        }
        return new PcmAudio(Linear(source, audio.SampleRate, targetRate), targetRate);
    }

    /// <summary>Halves the rate (16 kHz to 8 kHz).</summary>
    public static short[] Decimate2(ReadOnlySpan<short> input)
    {
        var output = new short[input.Length / 2];
        var half = HalfBand.Length / 2;
        for (var o = 0; o < output.Length; o++)
        {
            var center = 2 * o;
            double sum = 0;
            for (var k = 0; k < HalfBand.Length; k++)
            {
                var i = Math.Clamp(center + k - half, 0, input.Length - 1);
                sum += HalfBand[k] * input[i];
            }
            output[o] = Saturate(sum);
        }
        return output;
    }

    /// <summary>Doubles the rate (8 kHz to 16 kHz).</summary>
    public static short[] Interpolate2(ReadOnlySpan<short> input)
    {
        var output = new short[input.Length * 2];
        Interpolate2(input, output);
        return output;
    }

    /// <summary>Doubles the rate into <paramref name="output"/> (twice the input's length).</summary>
    public static void Interpolate2(ReadOnlySpan<short> input, Span<short> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(output.Length, input.Length * 2, nameof(output));
        for (var i = 0; i < input.Length; i++)
        {
            var next = i + 1 < input.Length ? input[i + 1] : input[i];
            output[2 * i] = input[i];
            output[(2 * i) + 1] = (short)((input[i] + next) / 2);
        }
    }

    private static short[] Linear(short[] input, int fromRate, int toRate)
    {
        var length = (int)((long)input.Length * toRate / fromRate);
        var output = new short[length];
        for (var o = 0; o < length; o++)
        {
            var position = (double)o * fromRate / toRate;
            var i = (int)position;
            var fraction = position - i;
            var a = input[Math.Min(i, input.Length - 1)];
            var b = input[Math.Min(i + 1, input.Length - 1)];
            output[o] = Saturate(a + ((b - a) * fraction));
        }
        return output;
    }

    private static short[] MovingAverage(short[] input, int width)
    {
        if (width <= 1)
        {
            return input;
        }
        var output = new short[input.Length];
        long sum = 0;
        for (var i = 0; i < input.Length; i++)
        {
            sum += input[i];
            if (i >= width)
            {
                sum -= input[i - width];
            }
            output[i] = (short)(sum / Math.Min(i + 1, width));
        }
        return output;
    }

    private static short Saturate(double value) => (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);
}
