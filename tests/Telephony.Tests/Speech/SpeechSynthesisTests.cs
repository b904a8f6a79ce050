using Aicc.Telephony.Audio;
using Aicc.Telephony.Media;
using Aicc.Telephony.Speech;

namespace Aicc.Telephony.Tests.Speech;

public sealed class SpeechSynthesisTests
{
    private static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }
        return Math.Sqrt(sum / Math.Max(1, samples.Length));
    }

    [Fact]
    public async Task Flite_speaks_english_at_the_telephone_rate()
    {
        var tts = new FliteSynthesizer();
        var audio = await tts.SynthesizeAsync("I want to speak to a human agent.", "kal16");
        Assert.Equal(8000, audio.SampleRate);
        Assert.InRange(audio.Duration.TotalSeconds, 1.0, 4.0);
        Assert.True(Rms(audio.Samples) > 300, $"rms {Rms(audio.Samples)}");
    }

    [Fact]
    public async Task Longer_text_gives_longer_audio()
    {
        var tts = new FliteSynthesizer();
        var shortAudio = await tts.SynthesizeAsync("Hello.", "slt");
        var longAudio = await tts.SynthesizeAsync("Hello, thank you for calling, how can I help you today?", "slt");
        Assert.True(longAudio.Duration > shortAudio.Duration * 2);
    }

    [Fact]
    public async Task Espeak_speaks_mandarin_pinyin_as_a_process()
    {
        var tts = new EspeakSynthesizer();
        var audio = await tts.SynthesizeAsync("ni3 hao3, qing3 an4 yi1.", EspeakSynthesizer.MandarinVoice);
        Assert.Equal(8000, audio.SampleRate);
        Assert.InRange(audio.Duration.TotalSeconds, 0.5, 6.0);
        Assert.True(Rms(audio.Samples) > 300);
    }

    [Fact]
    public async Task Router_refuses_a_voice_nobody_speaks()
    {
        var router = new VoiceRouter([new FliteSynthesizer(), new EspeakSynthesizer()]);
        Assert.True(router.Supports("kal16"));
        Assert.True(router.Supports(EspeakSynthesizer.MandarinVoice));
        await Assert.ThrowsAsync<UnknownVoiceException>(async () => await router.SynthesizeAsync("hi", "klingon"));
    }

    [Fact]
    public async Task Cache_synthesises_a_repeated_prompt_once()
    {
        var cache = new PromptCache(new FliteSynthesizer());
        var first = await cache.SynthesizeAsync("Thank you for calling.", "kal16");
        var second = await cache.SynthesizeAsync("Thank you for calling.", "kal16");
        var otherVoice = await cache.SynthesizeAsync("Thank you for calling.", "slt");
        Assert.Same(first, second);
        Assert.NotSame(first, otherVoice);
        Assert.Equal(1, cache.Hits);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public async Task Cache_serves_a_cached_prompt_while_another_prompt_is_being_synthesised()
    {
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var cache = new PromptCache(new BlockingSynthesizer(new FliteSynthesizer(), "Please hold.", started, release));
        var greeting = await cache.SynthesizeAsync("Thank you for calling.", "kal16");

        // A synchronous engine stuck on one call's prompt must not hold up another call's cached one.
        var stuck = Task.Run(() => cache.SynthesizeAsync("Please hold.", "kal16").AsTask());
        Assert.True(started.Wait(TimeSpan.FromSeconds(10)), "the blocked synthesis never started");
        var hit = Task.Run(() => cache.SynthesizeAsync("Thank you for calling.", "kal16").AsTask());
        var served = await Task.WhenAny(hit, Task.Delay(TimeSpan.FromSeconds(5)));
        release.Set();

        Assert.Same(hit, served);
        Assert.Same(greeting, await hit);
        Assert.True((await stuck).Samples.Length > 0);
    }

    [Fact]
    public async Task Cache_stays_within_its_bound()
    {
        var cache = new PromptCache(new FliteSynthesizer(), maxSamples: 8000 * 3);
        for (var i = 0; i < 6; i++)
        {
            await cache.SynthesizeAsync($"This is prompt number {i}, spoken slowly.", "kal16");
        }
        Assert.InRange(cache.Samples, 1, 8000 * 3 + 8000 * 4);
        await cache.SynthesizeAsync("This is prompt number 0, spoken slowly.", "kal16");
        Assert.Equal(7, cache.Misses);
    }

    [Fact]
    public async Task Streaming_yields_the_first_frame_before_the_last_piece_is_synthesised()
    {
        var recorder = new RecordingSynthesizer(new FliteSynthesizer());
        string[] pieces = ["Thank you for calling the demo company.", "We have a special offer for you this month.", "It includes free installation.", "Would you like to hear more?"];
        var frames = 0;
        var startedAtFirstFrame = -1;
        await foreach (var frame in SentenceStreamer.FramesAsync(recorder, pieces, "kal16"))
        {
            using (frame)
            {
                Assert.Equal(AudioFrame.Samples, frame.Pcm.Length);
                if (frames++ == 0)
                {
                    startedAtFirstFrame = recorder.Started;
                }
            }
        }
        Assert.InRange(startedAtFirstFrame, 1, 2);
        Assert.Equal(4, recorder.Started);
        Assert.True(frames > 200);
    }

    /// <summary>Synthesises on the calling thread, as flite does, and blocks on one text until released.</summary>
    private sealed class BlockingSynthesizer(ISpeechSynthesizer inner, string blockedText, ManualResetEventSlim started, ManualResetEventSlim release) : ISpeechSynthesizer
    {
        public bool Supports(string voice) => inner.Supports(voice);

        public ValueTask<PcmAudio> SynthesizeAsync(string text, string voice, CancellationToken cancel = default)
        {
            if (text == blockedText)
            {
                started.Set();
                release.Wait(TimeSpan.FromSeconds(30));
            }

            return inner.SynthesizeAsync(text, voice, cancel);
        }
    }

    private sealed class RecordingSynthesizer(ISpeechSynthesizer inner) : ISpeechSynthesizer
    {
        private int _started;

        public int Started => Volatile.Read(ref _started);

        public bool Supports(string voice) => inner.Supports(voice);

        public ValueTask<PcmAudio> SynthesizeAsync(string text, string voice, CancellationToken cancel = default)
        {
            Interlocked.Increment(ref _started);
            return inner.SynthesizeAsync(text, voice, cancel);
        }
    }
}
