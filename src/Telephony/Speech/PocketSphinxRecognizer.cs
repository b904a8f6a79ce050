using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using Aicc.Telephony.Audio;

namespace Aicc.Telephony.Speech;

/// <summary>Tuning of <see cref="PocketSphinxRecognizer"/>.</summary>
public sealed record PocketSphinxOptions
{
    /// <summary>Directory of the Debian pocketsphinx-en-us model.</summary>
    public string ModelDirectory { get; init; } = "/usr/share/pocketsphinx/model/en-us";

    /// <summary>Decoders kept (each holds its own acoustic model, ~35 MB); turns beyond this wait.</summary>
    public int MaxDecoders { get; init; } = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>
    /// How many times longer (or shorter) the speech heard may be than the grammar phrase matched
    /// before the match is treated as forced (speech outside the grammar), confidence falls
    /// below 0.5 and the free language model is asked instead.
    /// </summary>
    public double MaxDurationMismatch { get; init; } = 2.5;

    /// <summary>Whether to fall back to the free language model when the grammar match is poor.</summary>
    public bool FallBackToFreeModel { get; init; } = true;
}

/// <summary>
/// English ASR through pocketsphinx 5prealpha (Debian libpocketsphinx3) by P/Invoke. Each turn
/// is decoded against a JSGF grammar of the phrases the dialog step expects: the recipes
/// measured 10/10 with a grammar on telephone-band audio against about a third of words right
/// with the free model, so the free model is only the fallback when the grammar's per-frame
/// score says it forced a match. Audio is upsampled to 16 kHz first because the model refuses
/// 8 kHz. Decoders are pooled (each loads the acoustic model); a turn that finds none free
/// buffers its audio and decodes when one is returned.
/// </summary>
public sealed class PocketSphinxRecognizer : ISpeechRecognizer, IDisposable
{
    private const string FreeSearch = "_default";
    private readonly PocketSphinxOptions _options;
    private readonly ConcurrentBag<Decoder> _idle = new();
    private readonly SemaphoreSlim _slots;
    private readonly Lazy<HashSet<string>> _dictionary;
    private int _created;

    /// <summary>Creates the recogniser; decoders are created on first use.</summary>
    public PocketSphinxRecognizer(PocketSphinxOptions? options = null)
    {
        _options = options ?? new PocketSphinxOptions();
        _slots = new SemaphoreSlim(_options.MaxDecoders, _options.MaxDecoders);
        _dictionary = new Lazy<HashSet<string>>(LoadDictionary);
    }

    /// <summary>True when libpocketsphinx and the English model are installed.</summary>
    public static bool IsAvailable =>
        NativeLibrary.TryLoad(Native.Lib, out _) && Directory.Exists("/usr/share/pocketsphinx/model/en-us/en-us");

    /// <summary>Decoders created so far.</summary>
    public int DecodersCreated => Volatile.Read(ref _created);

    /// <inheritdoc />
    public bool Supports(string language) => language.StartsWith("en", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public ISpeechRecognitionSession Start(RecognitionContext context) => new Session(this, BuildGrammar(context.Phrases));

    /// <summary>
    /// The JSGF grammar for a set of phrases: lower-cased words of the pronouncing dictionary
    /// only (a word it does not know would make pocketsphinx refuse the whole grammar), each
    /// phrase once. Null when no phrase survives, and the turn uses the free model.
    /// </summary>
    public string? BuildGrammar(IReadOnlyList<string> phrases)
    {
        var alternatives = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var phrase in phrases)
        {
            var words = Words(phrase);
            if (words.Count > 0 && words.All(_dictionary.Value.Contains))
            {
                alternatives.Add(string.Join(' ', words));
            }
        }
        if (alternatives.Count == 0)
        {
            return null;
        }
        var jsgf = new StringBuilder("#JSGF V1.0;\ngrammar step;\npublic <utterance> = ");
        jsgf.AppendJoin("\n  | ", alternatives);
        jsgf.Append(";\n");
        return jsgf.ToString();
    }

    /// <summary>Lower-case words with punctuation removed, as the dictionary spells them.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' || (c == '\'' && current.Length > 0))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString().Trim('\''));
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            words.Add(current.ToString().Trim('\''));
        }
        return words.Where(w => w.Length > 0).ToList();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        while (_idle.TryTake(out var decoder))
        {
            decoder.Dispose();
        }
    }

    private HashSet<string> LoadDictionary()
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(_options.ModelDirectory, "cmudict-en-us.dict")))
        {
            var end = line.IndexOf(' ');
            if (end > 0)
            {
                var word = line[..end];
                var variant = word.IndexOf('(');
                words.Add(variant > 0 ? word[..variant] : word);
            }
        }
        return words;
    }

    /// <summary>
    /// Loads <paramref name="count"/> decoders now: loading one takes about a second, which must
    /// not happen on a call's media loop while the caller's audio keeps arriving.
    /// </summary>
    public void Prewarm(int count)
    {
        var decoders = new List<Decoder>();
        for (var i = 0; i < Math.Min(count, _options.MaxDecoders); i++)
        {
            decoders.Add(Rent());
        }
        decoders.ForEach(Return);
    }

    // Never blocks and never loads a model: a turn that finds no idle decoder keeps buffering,
    // and one is loaded in the background for it (the media loop must keep reading frames).
    private Decoder? TryRent()
    {
        if (!_slots.Wait(0))
        {
            return null;
        }
        if (_idle.TryTake(out var decoder))
        {
            return decoder;
        }
        _ = Task.Run(() => Return(CreateDecoder()));
        return null;
    }

    private Decoder Rent()
    {
        _slots.Wait();
        return _idle.TryTake(out var decoder) ? decoder : CreateDecoder();
    }

    private void Return(Decoder decoder)
    {
        _idle.Add(decoder);
        _slots.Release();
    }

    private Decoder CreateDecoder()
    {
        var model = _options.ModelDirectory;
        string[] argv =
        [
            "aicc", "-hmm", Path.Combine(model, "en-us"), "-dict", Path.Combine(model, "cmudict-en-us.dict"),
            "-lm", Path.Combine(model, "en-us.lm.bin"), "-logfn", "/dev/null",
        ];
        var config = Native.cmd_ln_parse_r(IntPtr.Zero, Native.ps_args(), argv.Length, argv, 1);
        if (config == IntPtr.Zero)
        {
            throw new InvalidOperationException("pocketsphinx rejected its configuration");
        }
        var handle = Native.ps_init(config);
        if (handle == IntPtr.Zero)
        {
            throw new InvalidOperationException($"pocketsphinx could not load the model in {model}");
        }
        Interlocked.Increment(ref _created);
        return new Decoder(handle);
    }

    private sealed class Decoder(IntPtr handle) : IDisposable
    {
        private readonly Dictionary<string, string> _grammars = new(StringComparer.Ordinal);

        public IntPtr Handle { get; } = handle;

        public void UseGrammar(string? jsgf)
        {
            if (jsgf is null)
            {
                Native.ps_set_search(Handle, FreeSearch);
                return;
            }
            if (!_grammars.TryGetValue(jsgf, out var name))
            {
                name = "g" + _grammars.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (Native.ps_set_jsgf_string(Handle, name, jsgf) != 0)
                {
                    throw new InvalidOperationException("pocketsphinx rejected the step's grammar");
                }
                _grammars[jsgf] = name;
            }
            Native.ps_set_search(Handle, name);
        }

        public void Dispose() => Native.ps_free(Handle);
    }

    private sealed class Session(PocketSphinxRecognizer owner, string? grammar) : ISpeechRecognitionSession
    {
        private readonly List<short> _audio16k = new(16000 * 5);
        private Decoder? _decoder;
        private bool _started;
        private int _fed;
        private string _lastPartial = string.Empty;
        private int _frames;
        private bool _finished;

        public RecognitionHypothesis? Accept(ReadOnlySpan<short> frame)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            _audio16k.AddRange(Resampler.Interpolate2(frame));
            _decoder ??= owner.TryRent();
            if (_decoder is null)
            {
                return null;
            }
            Feed();
            // A partial every 10 frames (200 ms) is plenty for barge-in decisions and keeps search cheap.
            if (++_frames % 10 != 0)
            {
                return null;
            }
            var partial = Marshal.PtrToStringUTF8(Native.ps_get_hyp(_decoder.Handle, out _)) ?? string.Empty;
            if (partial == _lastPartial)
            {
                return null;
            }
            _lastPartial = partial;
            return new RecognitionHypothesis(partial, 0, false, grammar is not null);
        }

        public RecognitionHypothesis Finish()
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            _decoder ??= owner.Rent();
            try
            {
                Feed();
                var (text, score, frames) = End(_decoder);
                if (grammar is null)
                {
                    return new RecognitionHypothesis(text, 0.5, true, false);
                }
                // A forced match (speech outside the grammar squeezed into the nearest phrase)
                // shows as a phrase far shorter or longer than the speech heard; the phone loop
                // and the free model's path scores proved no better a judge here and cost 10x.
                var ratio = DurationRatio(text);
                var confidence = Confidence(ratio);
                if (!string.IsNullOrEmpty(text) && confidence >= 0.5)
                {
                    return new RecognitionHypothesis(text, confidence, true, true);
                }
                if (!owner._options.FallBackToFreeModel)
                {
                    return new RecognitionHypothesis(string.Empty, confidence, true, true);
                }
                var (free, _, _) = Redecode(_decoder, search: d => d.UseGrammar(null));
                return new RecognitionHypothesis(free, confidence, true, false);
            }
            finally
            {
                Release();
            }
        }

        // Speech heard (16 kHz frames of 20 ms above -45 dBFS) over the time the hypothesis
        // needs when spoken (about 65 ms per letter at a telephone pace).
        private double DurationRatio(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return 0;
            }
            var audio = CollectionsMarshal.AsSpan(_audio16k);
            var voiced = 0;
            for (var offset = 0; offset + 320 <= audio.Length; offset += 320)
            {
                if (VoiceActivityDetector.LevelDbfs(audio.Slice(offset, 320)) > -45)
                {
                    voiced++;
                }
            }
            var letters = text.Count(char.IsLetter);
            return voiced * 20.0 / Math.Max(1, letters * 65.0);
        }

        private (string Text, int Score, int Frames) Redecode(Decoder decoder, Action<Decoder> search)
        {
            search(decoder);
            Native.ps_start_utt(decoder.Handle);
            var all = CollectionsMarshal.AsSpan(_audio16k);
            Native.ps_process_raw(decoder.Handle, ref MemoryMarshal.GetReference(all), all.Length, 0, 0);
            return End(decoder);
        }

        public void Dispose()
        {
            if (_decoder is not null && _started)
            {
                Native.ps_end_utt(_decoder.Handle);
            }
            Release();
        }

        private void Release()
        {
            _finished = true;
            if (_decoder is not null)
            {
                owner.Return(_decoder);
                _decoder = null;
            }
        }

        private void Feed()
        {
            if (_decoder is null)
            {
                return;
            }
            if (!_started)
            {
                _decoder.UseGrammar(grammar);
                Native.ps_start_utt(_decoder.Handle);
                _started = true;
            }
            if (_fed < _audio16k.Count)
            {
                var span = CollectionsMarshal.AsSpan(_audio16k)[_fed..];
                Native.ps_process_raw(_decoder.Handle, ref MemoryMarshal.GetReference(span), span.Length, 0, 0);
                _fed = _audio16k.Count;
            }
        }

        private (string Text, int Score, int Frames) End(Decoder decoder)
        {
            Native.ps_end_utt(decoder.Handle);
            _started = false;
            var text = Marshal.PtrToStringUTF8(Native.ps_get_hyp(decoder.Handle, out var score)) ?? string.Empty;
            var frames = Math.Max(1, Native.ps_get_n_frames(decoder.Handle));
            return (text.Trim(), score, frames);
        }

        // Maps the per-frame path score onto [0, 1] around the rejection point, so that the
        // dialog's thresholds read as probabilities even though pocketsphinx gives none for grammars.
        private double Confidence(double ratio)
        {
            if (ratio <= 0)
            {
                return 0;
            }
            var off = Math.Abs(Math.Log(ratio));
            var limit = Math.Log(owner._options.MaxDurationMismatch);
            return 1 / (1 + Math.Exp(4 * (off - limit) / limit));
        }
    }

    private static class Native
    {
        public const string Lib = "libpocketsphinx.so.3";
        private const string SphinxBase = "libsphinxbase.so.3";

        [DllImport(Lib)]
        public static extern IntPtr ps_args();

        [DllImport(SphinxBase)]
        public static extern IntPtr cmd_ln_parse_r(IntPtr inout, IntPtr definitions, int argc, [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string[] argv, int strict);

        [DllImport(Lib)]
        public static extern IntPtr ps_init(IntPtr config);

        [DllImport(Lib)]
        public static extern int ps_free(IntPtr ps);

        [DllImport(Lib)]
        public static extern int ps_set_jsgf_string(IntPtr ps, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string jsgf);

        [DllImport(Lib)]
        public static extern int ps_set_search(IntPtr ps, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);

        [DllImport(Lib)]
        public static extern int ps_start_utt(IntPtr ps);

        [DllImport(Lib)]
        public static extern int ps_process_raw(IntPtr ps, ref short data, nint samples, int noSearch, int fullUtterance);

        [DllImport(Lib)]
        public static extern int ps_end_utt(IntPtr ps);

        [DllImport(Lib)]
        public static extern IntPtr ps_get_hyp(IntPtr ps, out int score);

        [DllImport(Lib)]
        public static extern int ps_get_n_frames(IntPtr ps);
    }
}
