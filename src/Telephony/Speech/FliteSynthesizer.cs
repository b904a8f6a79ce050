using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Aicc.Telephony.Audio;

namespace Aicc.Telephony.Speech;

/// <summary>
/// English TTS through libflite (Debian libflite1, MIT-style licence, so linking is fine).
/// P/Invoke rather than the flite command: a process start costs more than synthesising a
/// short sentence, and the reply latency budget is 300 ms. flite keeps global state shared by
/// its voices (lexicon, utterance features), so all synthesis is serialised; pieces are short
/// (one clause) and repeated prompts come from the cache.
/// </summary>
/// <remarks>
/// The serialising is one dedicated thread, not a lock: callers that waited on a lock held
/// thread-pool threads, and on two cores a handful of robot calls synthesising at once starved
/// the pool that carries RTP receive continuations. The media clock then ticked on empty
/// buffers, the voice detector took the gap for the end of the caller's sentence, and the
/// late burst was shed (issue 5; ADR 0008).
/// </remarks>
public sealed class FliteSynthesizer : ISpeechSynthesizer
{
    private const string FliteLib = "libflite.so.1";

    // Voice name -> (shared library, register function). kal is an 8 kHz diphone voice; kal16
    // and slt are 16 kHz and are brought down to the telephone band.
    private static readonly Dictionary<string, (string Library, string Register)> Voices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["kal16"] = ("libflite_cmu_us_kal16.so.1", "register_cmu_us_kal16"),
        ["kal"] = ("libflite_cmu_us_kal.so.1", "register_cmu_us_kal"),
        ["slt"] = ("libflite_cmu_us_slt.so.1", "register_cmu_us_slt"),
        ["rms"] = ("libflite_cmu_us_rms.so.1", "register_cmu_us_rms"),
        ["awb"] = ("libflite_cmu_us_awb.so.1", "register_cmu_us_awb"),
    };

    private static readonly BlockingCollection<Job> Jobs = new();
    private static readonly Lazy<Thread> Worker = new(StartWorker, LazyThreadSafetyMode.ExecutionAndPublication);

    // Touched only by the worker thread.
    private static bool _initialised;
    private static readonly Dictionary<string, IntPtr> Loaded = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when libflite can be loaded on this machine.</summary>
    public static bool IsAvailable => NativeLibrary.TryLoad(FliteLib, out _);

    /// <inheritdoc />
    public bool Supports(string voice) => Voices.ContainsKey(voice);

    /// <inheritdoc />
    public ValueTask<PcmAudio> SynthesizeAsync(string text, string voice, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        if (!Voices.ContainsKey(voice))
        {
            throw new UnknownVoiceException(voice);
        }

        _ = Worker.Value;
        var job = new Job(text, voice, new TaskCompletionSource<PcmAudio>(TaskCreationOptions.RunContinuationsAsynchronously), cancel);
        Jobs.Add(job, CancellationToken.None);
        return new ValueTask<PcmAudio>(job.Done.Task);
    }

    private static Thread StartWorker()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "tts-flite" };
        thread.Start();
        return thread;
    }

    private static void Run()
    {
        foreach (var job in Jobs.GetConsumingEnumerable())
        {
            if (job.Cancel.IsCancellationRequested)
            {
                job.Done.TrySetCanceled(job.Cancel);
                continue;
            }

            try
            {
                job.Done.TrySetResult(Resampler.Convert(Synthesize(job.Text, Load(job.Voice)), Codecs.FrameFormat.SampleRate));
            }
            catch (Exception e)
            {
                job.Done.TrySetException(e);
            }
        }
    }

    private static PcmAudio Synthesize(string text, IntPtr voice)
    {
        var wave = Native.flite_text_to_wave(text, voice);
        if (wave == IntPtr.Zero)
        {
            throw new InvalidOperationException($"flite produced no audio for '{text}'");
        }

        try
        {
            var header = Marshal.PtrToStructure<CstWave>(wave);
            var samples = new short[header.NumSamples * Math.Max(1, header.NumChannels)];
            if (samples.Length > 0)
            {
                Marshal.Copy(header.Samples, samples, 0, samples.Length);
            }

            if (header.NumChannels > 1)
            {
                samples = samples.Where((_, i) => i % header.NumChannels == 0).ToArray();
            }

            return new PcmAudio(samples, header.SampleRate);
        }
        finally
        {
            Native.delete_wave(wave);
        }
    }

    private static IntPtr Load(string voice)
    {
        if (!_initialised)
        {
            Native.flite_init();
            _initialised = true;
        }

        if (Loaded.TryGetValue(voice, out var loaded))
        {
            return loaded;
        }

        var entry = Voices[voice];
        var library = NativeLibrary.Load(entry.Library);
        var register = Marshal.GetDelegateForFunctionPointer<RegisterVoice>(NativeLibrary.GetExport(library, entry.Register));
        var handle = register(IntPtr.Zero);
        if (handle == IntPtr.Zero)
        {
            throw new InvalidOperationException($"flite could not register voice {voice}");
        }

        Loaded[voice] = handle;
        return handle;
    }

    private sealed record Job(string Text, string Voice, TaskCompletionSource<PcmAudio> Done, CancellationToken Cancel);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr RegisterVoice(IntPtr voxdir);

    // cst_wave from flite's cst_wave.h: type, sample_rate, num_samples, num_channels, samples.
    [StructLayout(LayoutKind.Sequential)]
    private struct CstWave
    {
        public IntPtr Type;
        public int SampleRate;
        public int NumSamples;
        public int NumChannels;
        public IntPtr Samples;
    }

    private static class Native
    {
        [DllImport(FliteLib)]
        public static extern int flite_init();

        [DllImport(FliteLib)]
        public static extern IntPtr flite_text_to_wave([MarshalAs(UnmanagedType.LPUTF8Str)] string text, IntPtr voice);

        [DllImport(FliteLib)]
        public static extern void delete_wave(IntPtr wave);
    }
}
