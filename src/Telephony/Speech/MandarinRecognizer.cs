using System.Runtime.InteropServices;
using System.Text;
using Aicc.Telephony.Audio;

namespace Aicc.Telephony.Speech;

/// <summary>Tuning of <see cref="MandarinRecognizer"/>.</summary>
public sealed record MandarinOptions
{
    /// <summary>Directory of the Debian pocketsphinx-en-us model (its acoustic model is borrowed).</summary>
    public string ModelDirectory { get; init; } = "/usr/share/pocketsphinx/model/en-us";

    /// <summary>Decoders kept; a speaking caller uses two (grammar and phone loop).</summary>
    public int MaxDecoders { get; init; } = 64;

    /// <summary>
    /// How far below the free phone loop the grammar's path may score, per 10 ms frame
    /// (pocketsphinx log units), and still count as a match. The loop fits any sound at least
    /// as well as the grammar does, so the gap measures how much the grammar had to force.
    /// Calibrated on espeak-ng cmn-latn-pinyin through G.711 (ADR 0008).
    /// </summary>
    public double RejectionThreshold { get; init; } = -5.5;
}

/// <summary>
/// The experimental Mandarin recogniser (no Mandarin acoustic model is available here): the
/// step's phrases become a JSGF grammar of toneless pinyin syllables (<see cref="PinyinLexicon"/>)
/// decoded with the US English acoustic model. A grammar always finds its nearest phrase, so a
/// free phone loop decodes the same audio beside it, and a match whose score falls too far
/// below the loop's is rejected: English speech or Mandarin outside the grammar comes back
/// empty ("unknown") instead of a forced phrase. Matches come back as the phrase's own text
/// (characters), which the intent step expects. Mandarin scripts keep DTMF as the dependable path.
/// </summary>
public sealed class MandarinRecognizer : ISpeechRecognizer, IDisposable
{
    private readonly MandarinOptions _options;
    private readonly Lazy<PinyinLexicon> _lexicon;
    private readonly Lazy<SphinxDecoderPool> _pool;
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "aicc-asr-zh-" + Guid.NewGuid().ToString("N"));

    /// <summary>Creates the recogniser; espeak-ng and the decoders are first used on the first turn.</summary>
    public MandarinRecognizer(MandarinOptions? options = null, string espeak = "espeak-ng")
    {
        _options = options ?? new MandarinOptions();
        _lexicon = new Lazy<PinyinLexicon>(() => PinyinLexicon.Load(espeak));
        _pool = new Lazy<SphinxDecoderPool>(CreatePool);
    }

    /// <summary>True when pocketsphinx, its English model and espeak-ng are installed.</summary>
    public static bool IsAvailable => PocketSphinxRecognizer.IsAvailable && EspeakSynthesizer.IsAvailable;

    /// <inheritdoc />
    public bool Supports(string language) =>
        language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) || language.StartsWith("cmn", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public ISpeechRecognitionSession Start(RecognitionContext context)
    {
        var (jsgf, phrases) = BuildGrammar(context.Phrases);
        return new Session(this, jsgf, phrases);
    }

    /// <summary>Loads the pinyin table and <paramref name="count"/> decoders before calls arrive.</summary>
    public void Prewarm(int count) => _pool.Value.Prewarm(count);

    /// <summary>
    /// The pinyin grammar for <paramref name="phrases"/> and the phrase each alternative stands
    /// for; phrases espeak-ng cannot read are left out. Null grammar when none is left.
    /// </summary>
    public (string? Jsgf, IReadOnlyDictionary<string, string> Phrases) BuildGrammar(IReadOnlyList<string> phrases)
    {
        var readings = _lexicon.Value.ToPinyin(phrases);
        var byPinyin = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < phrases.Count; i++)
        {
            if (readings[i] is { } syllables)
            {
                byPinyin.TryAdd(string.Join(' ', syllables), phrases[i]);
            }
        }
        if (byPinyin.Count == 0)
        {
            return (null, byPinyin);
        }
        var jsgf = new StringBuilder("#JSGF V1.0;\ngrammar step;\npublic <utterance> = ");
        jsgf.AppendJoin("\n  | ", byPinyin.Keys);
        jsgf.Append(";\n");
        return (jsgf.ToString(), byPinyin);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_pool.IsValueCreated)
        {
            _pool.Value.Dispose();
        }
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private SphinxDecoderPool CreatePool()
    {
        Directory.CreateDirectory(_scratch);
        var empty = Path.Combine(_scratch, "empty.dict");
        File.WriteAllText(empty, string.Empty);
        string[] argv =
        [
            "aicc", "-hmm", Path.Combine(_options.ModelDirectory, "en-us"), "-dict", empty, "-logfn", "/dev/null",
            "-fwdflat", "no", "-bestpath", "no",
        ];
        var phoneWords = PhoneLoopWords.Select(p => KeyValuePair.Create(p.ToLowerInvariant() + "_ph", p));
        return new SphinxDecoderPool(argv, _lexicon.Value.Dictionary.With(phoneWords), _options.MaxDecoders);
    }

    // The US English model's phones, each as a one-phone word: a loop over them is the garbage
    // path that fits any sound (pocketsphinx's own allphone search cost 10x real time here).
    private static readonly string[] PhoneLoopWords =
    [
        "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G", "HH", "IH", "IY", "JH", "K",
        "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y", "Z", "ZH",
    ];

    private static readonly string PhoneLoopGrammar =
        "#JSGF V1.0;\ngrammar loop;\npublic <utterance> = ( " + string.Join(" | ", PhoneLoopWords.Select(p => p.ToLowerInvariant() + "_ph")) + " )+;\n";

    private static void UsePhoneLoop(SphinxDecoder decoder) =>
        decoder.UseGrammar(PhoneLoopGrammar, PhoneLoopWords.Select(p => p.ToLowerInvariant() + "_ph"));

    private sealed class Session(MandarinRecognizer owner, string? jsgf, IReadOnlyDictionary<string, string> phrases) : ISpeechRecognitionSession
    {
        private readonly PooledSamples _audio16k = new(16000 * 4);
        private readonly IEnumerable<string> _words = phrases.Keys.SelectMany(p => p.Split(' ')).Distinct(StringComparer.Ordinal).ToList();
        private SphinxDecoder? _grammar;
        private SphinxDecoder? _loop;
        private int _grammarFed;
        private int _loopFed;
        private bool _finished;

        public RecognitionHypothesis? Accept(ReadOnlySpan<short> frame)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            Resampler.Interpolate2(frame, _audio16k.Extend(frame.Length * 2));
            if (jsgf is null)
            {
                return null;
            }
            var pool = owner._pool.Value;
            if (_grammar is null && pool.TryRent() is { } g)
            {
                _grammar = g;
                _grammar.UseGrammar(jsgf, _words);
                _grammar.StartUtterance();
            }
            if (_grammar is not null && _loop is null && pool.TryRent() is { } l)
            {
                _loop = l;
                UsePhoneLoop(_loop);
                _loop.StartUtterance();
            }
            Feed(_grammar, ref _grammarFed);
            Feed(_loop, ref _loopFed);
            return null;
        }

        public RecognitionHypothesis Finish()
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            _finished = true;
            if (jsgf is null)
            {
                return new RecognitionHypothesis(string.Empty, 0, true, true);
            }
            try
            {
                var pool = owner._pool.Value;
                if (_grammar is null)
                {
                    _grammar = pool.Rent();
                    _grammar.UseGrammar(jsgf, _words);
                    _grammar.StartUtterance();
                }
                Feed(_grammar, ref _grammarFed);
                var grammar = _grammar.EndUtterance();
                if (_loop is null)
                {
                    // No second decoder was free while the caller spoke: reuse this one.
                    _loop = _grammar;
                    _grammar = null;
                    UsePhoneLoop(_loop);
                    _loop.StartUtterance();
                    _loopFed = 0;
                }
                Feed(_loop, ref _loopFed);
                var loop = _loop.EndUtterance();
                var margin = (grammar.Score - loop.Score) / (double)grammar.Frames;
                // 0.5 at the threshold, rising as the grammar comes closer to the loop.
                var confidence = 1 / (1 + Math.Exp(-(margin - owner._options.RejectionThreshold) / 4));
                if (grammar.Text.Length == 0 || margin < owner._options.RejectionThreshold || !phrases.TryGetValue(grammar.Text, out var phrase))
                {
                    return new RecognitionHypothesis(string.Empty, Math.Min(confidence, 0.49), true, true);
                }
                return new RecognitionHypothesis(phrase, confidence, true, true);
            }
            finally
            {
                Release();
            }
        }

        public void Dispose()
        {
            _finished = true;
            Release();
            _audio16k.Dispose();
        }

        private void Feed(SphinxDecoder? decoder, ref int fed)
        {
            if (decoder is not null && fed < _audio16k.Count)
            {
                decoder.Process(_audio16k.Span[fed..]);
                fed = _audio16k.Count;
            }
        }

        private void Release()
        {
            var pool = owner._pool.Value;
            if (_grammar is not null)
            {
                pool.Return(_grammar);
                _grammar = null;
            }
            if (_loop is not null)
            {
                pool.Return(_loop);
                _loop = null;
            }
        }
    }
}
