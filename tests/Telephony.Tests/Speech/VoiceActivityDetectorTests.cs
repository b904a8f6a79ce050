using Aicc.Telephony.Speech;

namespace Aicc.Telephony.Tests.Speech;

public sealed class VoiceActivityDetectorTests
{
    private const int Frame = 160;

    private static short[] Noise(int samples, double rms, int seed)
    {
        var random = new Random(seed);
        var output = new short[samples];
        for (var i = 0; i < samples; i++)
        {
            // Sum of uniforms: roughly Gaussian white noise.
            var g = (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2;
            output[i] = (short)Math.Clamp(g * rms, short.MinValue, short.MaxValue);
        }
        return output;
    }

    private static short[] Mix(short[] a, short[] b)
    {
        var output = new short[Math.Max(a.Length, b.Length)];
        for (var i = 0; i < output.Length; i++)
        {
            var sum = (i < a.Length ? a[i] : 0) + (i < b.Length ? b[i] : 0);
            output[i] = (short)Math.Clamp(sum, short.MinValue, short.MaxValue);
        }
        return output;
    }

    private static List<(int Frame, VoiceActivity Activity)> Run(short[] audio, VoiceActivityDetector? vad = null)
    {
        vad ??= new VoiceActivityDetector();
        var events = new List<(int, VoiceActivity)>();
        for (var f = 0; f + Frame <= audio.Length; f += Frame)
        {
            var activity = vad.Process(audio.AsSpan(f, Frame));
            if (activity != VoiceActivity.None)
            {
                events.Add((f / Frame, activity));
            }
        }
        return events;
    }

    // Flite pads its output with near-silence; the reference onset is the first loud frame.
    private static int OnsetMs(short[] speech)
    {
        for (var f = 0; f + Frame <= speech.Length; f += Frame)
        {
            if (VoiceActivityDetector.LevelDbfs(speech.AsSpan(f, Frame)) > -40)
            {
                return f / 8;
            }
        }
        throw new InvalidOperationException("no speech in the utterance");
    }

    private static async Task<short[]> Utterance(string text)
    {
        var audio = await new FliteSynthesizer().SynthesizeAsync(text, "kal16");
        return audio.Samples;
    }

    [Fact]
    public async Task Finds_start_and_end_of_speech_between_silences()
    {
        var speech = await Utterance("I want to speak to a human agent.");
        var lead = 8000;
        var audio = new short[lead].Concat(speech).Concat(new short[16000]).ToArray();
        var events = Run(audio);

        Assert.Equal(2, events.Count);
        Assert.Equal(VoiceActivity.SpeechStarted, events[0].Activity);
        Assert.Equal(VoiceActivity.SpeechEnded, events[1].Activity);
        var startMs = events[0].Frame * 20;
        var onsetMs = (lead / 8) + OnsetMs(speech);
        Assert.InRange(startMs, onsetMs, onsetMs + 100);
        var speechEndMs = (lead + speech.Length) * 1000 / 8000;
        var endMs = events[1].Frame * 20;
        Assert.InRange(endMs, speechEndMs, speechEndMs + 1000);
    }

    [Fact]
    public void Steady_noise_alone_is_not_speech()
    {
        var events = Run(Noise(8000 * 5, 600, 1));
        Assert.Empty(events);
    }

    [Fact]
    public void A_click_is_too_short_to_start_speech()
    {
        var audio = new short[8000];
        for (var i = 4000; i < 4160; i++)
        {
            audio[i] = (short)(i % 2 == 0 ? 12000 : -12000);
        }
        Assert.Empty(Run(audio));
    }

    [Fact]
    public async Task Speech_over_line_noise_is_found()
    {
        var speech = await Utterance("Yes, please call me back tomorrow.");
        var clean = new short[16000].Concat(speech).Concat(new short[16000]).ToArray();
        var noisy = Mix(clean, Noise(clean.Length, 300, 7));
        var events = Run(noisy);
        Assert.Equal([VoiceActivity.SpeechStarted, VoiceActivity.SpeechEnded], events.Select(e => e.Activity));
        var onsetMs = 2000 + OnsetMs(speech);
        Assert.InRange(events[0].Frame * 20, onsetMs, onsetMs + 100);
    }

    [Fact]
    public async Task Pauses_between_words_do_not_end_the_turn()
    {
        var first = await Utterance("Yes.");
        var second = await Utterance("I am interested.");
        var audio = new short[4000].Concat(first).Concat(new short[1600]).Concat(second).Concat(new short[12000]).ToArray();
        var events = Run(audio);
        Assert.Equal([VoiceActivity.SpeechStarted, VoiceActivity.SpeechEnded], events.Select(e => e.Activity));
    }

    [Fact]
    public void Zero_crossing_rate_tells_hiss_from_a_low_tone()
    {
        var tone = Enumerable.Range(0, Frame).Select(i => (short)(8000 * Math.Sin(2 * Math.PI * 200 * i / 8000))).ToArray();
        Assert.InRange(VoiceActivityDetector.ZeroCrossingRate(tone), 0.03, 0.07);
        Assert.True(VoiceActivityDetector.ZeroCrossingRate(Noise(Frame, 3000, 3)) > 0.4);
    }
}
