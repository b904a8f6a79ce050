namespace Aicc.Telephony.Audio;

/// <summary>
/// A continuous sine tone written frame by frame with phase kept between calls, so consecutive
/// 20 ms frames join without clicks. Used for test signals, ring-back and beeps, and by the media
/// benchmark as the audio each simulated caller sends.
/// </summary>
public sealed class ToneGenerator
{
    private readonly double _step;
    private readonly double _amplitude;
    private double _phase;

    /// <param name="amplitude">Peak value, 0 to 32767 (8000 is about -12 dBFS).</param>
    public ToneGenerator(double frequencyHz, double amplitude = 8000, int sampleRate = Codecs.FrameFormat.SampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frequencyHz);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frequencyHz, sampleRate / 2.0);
        FrequencyHz = frequencyHz;
        _step = 2 * Math.PI * frequencyHz / sampleRate;
        _amplitude = Math.Clamp(amplitude, 0, short.MaxValue);
    }

    public double FrequencyHz { get; }

    /// <summary>Fills the span with the next samples of the tone.</summary>
    public void Fill(Span<short> samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)Math.Round(_amplitude * Math.Sin(_phase));
            _phase += _step;
        }
        _phase %= 2 * Math.PI;
    }

    /// <summary>A whole tone of the given duration.</summary>
    public static short[] Generate(double frequencyHz, TimeSpan duration, double amplitude = 8000, int sampleRate = Codecs.FrameFormat.SampleRate)
    {
        var samples = new short[(int)(duration.TotalSeconds * sampleRate)];
        new ToneGenerator(frequencyHz, amplitude, sampleRate).Fill(samples);
        return samples;
    }
}
