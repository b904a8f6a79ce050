using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Aicc.Telephony.Audio;

namespace Aicc.Telephony.Speech;

/// <summary>Tuning of <see cref="PocketSphinxRecognizer"/>.</summary>
public sealed record PocketSphinxOptions
{
    /// <summary>Directory of the Debian pocketsphinx-en-us model.</summary>
    public string ModelDirectory { get; init; } = "/usr/share/pocketsphinx/model/en-us";

    /// <summary>
    /// Decoders kept (each holds its own acoustic model, ~6 MB, and only the words its searches
    /// use). A speaking caller uses two (step grammar and script model side by side); turns
    /// that find none free buffer their audio and decode at the end of the turn.
    /// </summary>
    public int MaxDecoders { get; init; } = 128;

    /// <summary>
    /// How many times longer (or shorter) the speech heard may be than the phrase matched
    /// before the match is treated as forced (speech outside the grammar), confidence falls
    /// below 0.5 and the script model is asked instead.
    /// </summary>
    public double MaxDurationMismatch { get; init; } = 2.5;

    /// <summary>
    /// Whether a forced grammar match falls back to the script language model (a bigram over
    /// every phrase of the script, <see cref="ScriptLanguageModel"/>), decoded alongside the
    /// grammar while the caller speaks so that only its end of utterance is left at the endpoint.
    /// </summary>
    public bool FallBackToScriptModel { get; init; } = true;

    /// <summary>
    /// How many turns may run the script model beside the grammar at once. The second search
    /// costs about 1.5x the grammar's CPU (measured: 0.028 -> 0.070 CPU seconds per second of
    /// audio), so on a full box only this many turns get it while they speak; the others
    /// decode the script model after the endpoint, and only when the grammar's match was forced.
    /// </summary>
    public int MaxConcurrentFallbacks { get; init; } = 4 * Environment.ProcessorCount;

    /// <summary>
    /// Threads that run the searches while callers speak (the media loops only hand frames
    /// over). One per core: more would only make the searches share the cores less evenly.
    /// </summary>
    public int DecodeThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// How long (ms) a speaking caller's audio may wait for a decode worker before the
    /// recogniser counts as behind. While behind (and for <see cref="BehindHoldMs"/> after), no
    /// turn starts the script model beside its grammar and those running drop it: the model
    /// costs about twice its grammar, so it is the work to give up when callers outrun the
    /// cores (it sheds at 75-100 callers talking at once on two; ADR 0008).
    /// </summary>
    public int MaxDecodeLagMs { get; init; } = 200;

    /// <summary>
    /// How long after the grammar started decoding a turn (ms of audio) the script model may
    /// still join it; later turns go without it (and decode it after the endpoint if their
    /// grammar match looks forced).
    /// </summary>
    public int FallbackJoinWithinMs { get; init; } = 500;

    /// <summary>How long the recogniser stays behind after it last found a lagging turn.</summary>
    public int BehindHoldMs { get; init; } = 1000;

    /// <summary>
    /// Path score per 10 ms frame (pocketsphinx log units) below which a grammar match counts
    /// as forced. Absolute scores swing with voice and channel (flite through G.711: grammar
    /// phrases -16..-42), so this only catches the hopeless; the comparison with the script
    /// model (<see cref="MinGrammarLead"/>) does the real work (see ADR 0008).
    /// </summary>
    public double MinGrammarScorePerFrame { get; init; } = -45;

    /// <summary>
    /// By how much (per frame) the grammar's path must beat the script model's path on the same
    /// audio. The model's path carries its language-model penalties, so on phrases the grammar
    /// covers it trails by +7..+22; when the caller said another step's phrase or a new
    /// combination of script words, the model comes level or ahead (-7..+0.2).
    /// </summary>
    public double MinGrammarLead { get; init; } = 3;

    /// <summary>
    /// The script model's transcript below this per-frame score is treated as noise or speech
    /// outside the script: script phrases scored -26..-43, word salad from out-of-script
    /// speech -46.
    /// </summary>
    public double MinModelScorePerFrame { get; init; } = -44.5;
}

/// <summary>
/// English ASR through pocketsphinx 5prealpha (Debian libpocketsphinx3) by P/Invoke. Each turn
/// is decoded against a JSGF grammar of the phrases the dialog step expects: the recipes
/// measured 10/10 with a grammar on telephone-band audio against about a third of words right
/// with the general model. Beside it, a second decoder runs a bigram model of all the script's
/// phrases over the same audio as it arrives; when the grammar's match looks forced its
/// transcript is used instead, and when that looks forced too the turn comes back empty
/// (unknown). Audio is upsampled to 16 kHz first because the model refuses 8 kHz.
/// </summary>
public sealed class PocketSphinxRecognizer : ISpeechRecognizer, IDisposable
{
    private readonly PocketSphinxOptions _options;
    private readonly Lazy<PronouncingDictionary> _dictionary;
    private readonly Lazy<SphinxDecoderPool> _pool;
    private readonly SemaphoreSlim _fallbackSlots;
    private long _behindUntil;
    private long _fallbacksShed;
    private long _modelsBeside;
    private readonly Lazy<DecodeWorkers> _workers;
    private readonly ConcurrentDictionary<string, Lazy<string>> _models = new(StringComparer.Ordinal);
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "aicc-asr-" + Guid.NewGuid().ToString("N"));

    /// <summary>Creates the recogniser; decoders are created on first use.</summary>
    public PocketSphinxRecognizer(PocketSphinxOptions? options = null)
    {
        _options = options ?? new PocketSphinxOptions();
        _dictionary = new Lazy<PronouncingDictionary>(() =>
            PronouncingDictionary.Load(Path.Combine(_options.ModelDirectory, "cmudict-en-us.dict")));
        _pool = new Lazy<SphinxDecoderPool>(CreatePool);
        _fallbackSlots = new SemaphoreSlim(Math.Max(0, _options.MaxConcurrentFallbacks));
        _workers = new Lazy<DecodeWorkers>(() => new DecodeWorkers(Math.Max(1, _options.DecodeThreads)));
    }

    /// <summary>True when libpocketsphinx and the English model are installed.</summary>
    public static bool IsAvailable =>
        NativeLibrary.TryLoad(PocketSphinxNative.Lib, out _) && Directory.Exists("/usr/share/pocketsphinx/model/en-us/en-us");

    /// <summary>Turns whose script model ran beside their grammar while the caller spoke.</summary>
    public long ScriptModelsBeside => Interlocked.Read(ref _modelsBeside);

    /// <summary>Turns that went without the script model beside their grammar because decoding fell behind.</summary>
    public long FallbacksShed => Interlocked.Read(ref _fallbacksShed);

    /// <summary>Decoders created so far.</summary>
    public int DecodersCreated => _pool.IsValueCreated ? _pool.Value.Created : 0;

    /// <inheritdoc />
    public bool Supports(string language) => language.StartsWith("en", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public ISpeechRecognitionSession Start(RecognitionContext context)
    {
        var step = Spellable(context.Phrases);
        var grammar = JsgfOf(step);
        string? model = null;
        var modelWords = new List<string>();
        if (_options.FallBackToScriptModel || grammar is null)
        {
            var all = Spellable((context.ScriptPhrases ?? []).Concat(context.Phrases));
            if (all.Count > 0)
            {
                model = LanguageModelFile(all);
                modelWords = all.SelectMany(p => p.Split(' ')).Distinct(StringComparer.Ordinal).ToList();
            }
        }
        var grammarSearch = grammar is null ? null : new Search(s => s.UseGrammar(grammar, step.SelectMany(p => p.Split(' ')).Distinct(StringComparer.Ordinal)));
        var modelSearch = model is null ? null : new Search(s => s.UseLanguageModel(model, modelWords));
        return new Session(this, grammarSearch, modelSearch);
    }

    /// <summary>
    /// The JSGF grammar for a set of phrases: lower-cased words of the pronouncing dictionary
    /// only (a word it does not know would make pocketsphinx refuse the whole grammar), each
    /// phrase once. Null when no phrase survives, and the turn uses the script model alone.
    /// </summary>
    public string? BuildGrammar(IReadOnlyList<string> phrases) => JsgfOf(Spellable(phrases));

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

    /// <summary>
    /// Loads <paramref name="count"/> decoders now: loading one takes a noticeable while, which
    /// must not happen on a call's media loop while the caller's audio keeps arriving.
    /// </summary>
    public void Prewarm(int count) => _pool.Value.Prewarm(count);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_workers.IsValueCreated)
        {
            _workers.Value.Dispose();
        }
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

    private bool IsBehind => Stopwatch.GetTimestamp() < Volatile.Read(ref _behindUntil);

    private void FallBehind() =>
        Volatile.Write(ref _behindUntil, Stopwatch.GetTimestamp() + (_options.BehindHoldMs * Stopwatch.Frequency / 1000));

    private static string? JsgfOf(List<string> phrases)
    {
        if (phrases.Count == 0)
        {
            return null;
        }
        var jsgf = new StringBuilder("#JSGF V1.0;\ngrammar step;\npublic <utterance> = ");
        jsgf.AppendJoin("\n  | ", phrases);
        jsgf.Append(";\n");
        return jsgf.ToString();
    }

    // Phrases as space-joined dictionary words, sorted and each once, so that equal phrase sets
    // give equal grammars and models (and hit the decoders' search caches).
    private List<string> Spellable(IEnumerable<string> phrases)
    {
        var dictionary = _dictionary.Value;
        var kept = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var phrase in phrases)
        {
            var words = Words(phrase);
            if (words.Count > 0 && words.All(dictionary.Contains))
            {
                kept.Add(string.Join(' ', words));
            }
        }
        return [.. kept];
    }

    private string LanguageModelFile(List<string> phrases)
    {
        var key = string.Join('\n', phrases);
        return _models.GetOrAdd(key, k => new Lazy<string>(() =>
        {
            Directory.CreateDirectory(_scratch);
            var path = Path.Combine(_scratch, $"script-{_models.Count}-{Guid.NewGuid():N}.arpa");
            File.WriteAllText(path, ScriptLanguageModel.Build(phrases.Select(p => (IReadOnlyList<string>)p.Split(' '))));
            return path;
        })).Value;
    }

    private SphinxDecoderPool CreatePool()
    {
        Directory.CreateDirectory(_scratch);
        // Decoders start with no words: each search adds the few it needs (see PronouncingDictionary).
        var empty = Path.Combine(_scratch, "empty.dict");
        File.WriteAllText(empty, string.Empty);
        string[] argv =
        [
            "aicc", "-hmm", Path.Combine(_options.ModelDirectory, "en-us"), "-dict", empty, "-logfn", "/dev/null",
            // No second passes at the end of the utterance: they would redo the whole turn's
            // search exactly when the caller waits for the reply.
            "-fwdflat", "no", "-bestpath", "yes",
        ];
        return new SphinxDecoderPool(argv, _dictionary.Value, _options.MaxDecoders);
    }

    private sealed record Search(Action<SphinxDecoder> Select);

    /// <summary>One search fed as audio arrives, on a decoder if one could be had.</summary>
    private sealed class Lane(Search search)
    {
        private int _fed;

        public SphinxDecoder? Decoder { get; private set; }

        public bool TryStart(SphinxDecoderPool pool)
        {
            if (Decoder is null && pool.TryRent() is { } decoder)
            {
                Begin(decoder);
            }
            return Decoder is not null;
        }

        public void Begin(SphinxDecoder decoder)
        {
            Decoder = decoder;
            search.Select(decoder);
            decoder.StartUtterance();
            _fed = 0;
        }

        public void Feed(PooledSamples audio16k)
        {
            if (Decoder is not null && _fed < audio16k.Count)
            {
                Decoder.Process(audio16k.Span[_fed..]);
                _fed = audio16k.Count;
            }
        }

        public (string Text, int Score, int Frames) End(PooledSamples audio16k)
        {
            Feed(audio16k);
            return Decoder!.EndUtterance();
        }

        public SphinxDecoder Detach()
        {
            var decoder = Decoder!;
            Decoder = null;
            return decoder;
        }

        public void Release(SphinxDecoderPool pool)
        {
            if (Decoder is { } decoder)
            {
                Decoder = null;
                pool.Return(decoder);
            }
        }
    }

    /// <summary>
    /// Threads (one per core) that feed the speaking callers' audio to their decoders, so a
    /// call's media loop only copies frames and never waits on a search: when the box is busy
    /// the searches fall behind, but the loop keeps draining the leg and no audio is dropped.
    /// Sessions queue in arrival order, so a busy box delays every turn alike.
    /// </summary>
    private sealed class DecodeWorkers : IDisposable
    {
        private readonly BlockingCollection<Session> _queue = new();

        public DecodeWorkers(int threads)
        {
            for (var i = 0; i < threads; i++)
            {
                new Thread(Run) { IsBackground = true, Name = $"asr-decode-{i}" }.Start();
            }
        }

        public void Enqueue(Session session)
        {
            if (!_queue.IsAddingCompleted)
            {
                _queue.Add(session);
            }
        }

        public void Dispose() => _queue.CompleteAdding();

        private void Run()
        {
            foreach (var session in _queue.GetConsumingEnumerable())
            {
                session.RunQueued();
            }
        }
    }

    private sealed class Session : ISpeechRecognitionSession
    {
        private readonly PocketSphinxRecognizer _owner;
        private readonly SphinxDecoderPool _pool;
        private readonly Lane? _grammar;
        private readonly Lane? _model;
        // Frames the media loop hands over (guarded by _gate) and the audio the searches have
        // taken (guarded by _work, which serialises all decoder use of this turn).
        private readonly object _gate = new();
        private readonly object _work = new();
        private readonly PooledSamples _incoming = new(3200);
        private readonly PooledSamples _audio16k = new(16000 * 4);
        private volatile string _partial = string.Empty;
        private string _lastPartial = string.Empty;
        private int _partialAt;
        private int _frames;
        private int _queued;
        private long _waitingSince;
        private int _primaryStartedAt = -1;
        private bool _shed;
        private bool _finished;
        private bool _holdsFallbackSlot;

        public Session(PocketSphinxRecognizer owner, Search? grammar, Search? model)
        {
            _owner = owner;
            _pool = owner._pool.Value;
            _grammar = grammar is null ? null : new Lane(grammar);
            _model = model is null ? null : new Lane(model);
        }

        private Lane? Primary => _grammar ?? _model;

        public RecognitionHypothesis? Accept(ReadOnlySpan<short> frame)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            lock (_gate)
            {
                if (_incoming.Count == 0)
                {
                    _waitingSince = Stopwatch.GetTimestamp();
                }
                Resampler.Interpolate2(frame, _incoming.Extend(frame.Length * 2));
            }
            if (Interlocked.CompareExchange(ref _queued, 1, 0) == 0)
            {
                _owner._workers.Value.Enqueue(this);
            }
            // A partial every 10 frames (200 ms) is plenty for barge-in decisions.
            if (++_frames % 10 != 0)
            {
                return null;
            }
            var partial = _partial;
            if (partial == _lastPartial)
            {
                return null;
            }
            _lastPartial = partial;
            return new RecognitionHypothesis(partial, 0, false, _grammar is not null);
        }

        /// <summary>On a decode worker: feeds what arrived since the last run.</summary>
        public void RunQueued()
        {
            // Cleared before draining: a frame that arrives during the drain queues another run.
            Volatile.Write(ref _queued, 0);
            lock (_work)
            {
                if (!_finished)
                {
                    Drain();
                }
            }
        }

        private void Drain()
        {
            var waitedTicks = 0L;
            lock (_gate)
            {
                if (_incoming.Count > 0)
                {
                    waitedTicks = Stopwatch.GetTimestamp() - _waitingSince;
                }
                _audio16k.Append(_incoming.Span);
                _incoming.Clear();
            }
            // How long the oldest frame waited for a worker: the queueing delay the caller will
            // wait on at the endpoint (a pre-roll handed over at once has not waited).
            if (waitedTicks * 1000 > _owner._options.MaxDecodeLagMs * Stopwatch.Frequency)
            {
                _owner.FallBehind();
            }
            var primary = Primary;
            if (primary is null || !primary.TryStart(_pool))
            {
                return;
            }
            if (_primaryStartedAt < 0)
            {
                _primaryStartedAt = _audio16k.Count;
            }
            primary.Feed(_audio16k);
            if (_model is not null && _model != primary && !_shed)
            {
                if (_owner.IsBehind)
                {
                    ShedFallbackLane();
                }
                else if (StartFallbackLane())
                {
                    _model.Feed(_audio16k);
                }
            }
            if (_audio16k.Count - _partialAt >= 3200)
            {
                _partialAt = _audio16k.Count;
                _partial = primary.Decoder!.Partial();
            }
        }

        public RecognitionHypothesis Finish()
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            lock (_work)
            {
                return FinishLocked();
            }
        }

        private RecognitionHypothesis FinishLocked()
        {
            Drain();
            _finished = true;
            var options = _owner._options;
            try
            {
                (string Text, int Score, int Frames)? model = null;
                if (_grammar is not null)
                {
                    if (_grammar.Decoder is null)
                    {
                        _grammar.Begin(_pool.Rent());
                    }
                    var grammar = _grammar.End(_audio16k);
                    // The script model ran beside the grammar: its path is the yardstick a
                    // forced grammar match falls short of (see Accepts).
                    if (_model?.Decoder is not null)
                    {
                        model = _model.End(_audio16k);
                    }
                    var confidence = Math.Min(DurationConfidence(grammar.Text), ScoreConfidence(grammar, options.MinGrammarScorePerFrame));
                    if (grammar.Text.Length > 0 && confidence >= 0.5 && (model is null || Leads(grammar, model.Value, options.MinGrammarLead)))
                    {
                        return new RecognitionHypothesis(grammar.Text, confidence, true, true);
                    }
                    if (_model is null)
                    {
                        return new RecognitionHypothesis(string.Empty, Math.Min(confidence, 0.49), true, true);
                    }
                    if (model is null)
                    {
                        // No second decoder ran while the caller spoke: decode the turn again on
                        // this one (the slow path that MaxConcurrentFallbacks bounds).
                        _model.Begin(_grammar.Detach());
                    }
                }
                else if (_model!.Decoder is null)
                {
                    _model.Begin(_pool.Rent());
                }
                var fallback = model ?? _model!.End(_audio16k);
                var fit = Math.Min(DurationConfidence(fallback.Text), ScoreConfidence(fallback, options.MinModelScorePerFrame));
                // Fallback transcripts are less sure than grammar matches even when they fit.
                return fit >= 0.5 && fallback.Text.Length > 0
                    ? new RecognitionHypothesis(fallback.Text, fit * 0.75, true, false)
                    : new RecognitionHypothesis(string.Empty, Math.Min(fit, 0.49) * 0.75, true, false);
            }
            finally
            {
                Release();
            }
        }

        private static bool Leads((string Text, int Score, int Frames) grammar, (string Text, int Score, int Frames) model, double lead) =>
            model.Text.Length == 0 || (grammar.Score - model.Score) / (double)grammar.Frames >= lead;

        private static double ScoreConfidence((string Text, int Score, int Frames) result, double threshold)
        {
            if (result.Text.Length == 0)
            {
                return 0;
            }
            var perFrame = result.Score / (double)result.Frames;
            return 1 / (1 + Math.Exp(-(perFrame - threshold) / 3));
        }

        public void Dispose()
        {
            lock (_work)
            {
                _finished = true;
                Release();
                _audio16k.Dispose();
                lock (_gate)
                {
                    _incoming.Dispose();
                }
            }
        }

        // The script model beside the grammar costs about twice the grammar per second of audio
        // (0.044-0.055 against 0.025 CPU seconds); when the box cannot keep up it is the work to
        // drop. The turn then decodes the script model after its endpoint, and only if the
        // grammar's match looks forced by its own scores (without the model to compare with).
        private void ShedFallbackLane()
        {
            _shed = true;
            Interlocked.Increment(ref _owner._fallbacksShed);
            _model!.Release(_pool);
            if (_holdsFallbackSlot)
            {
                _holdsFallbackSlot = false;
                _owner._fallbackSlots.Release();
            }
        }

        private bool StartFallbackLane()
        {
            if (_model!.Decoder is not null)
            {
                return true;
            }
            // Joining late means decoding everything heard so far in one go on a decode worker,
            // which every other caller then waits for: when the first turns of a burst ended and
            // freed their slots, eight turns 2.5 s in each caught up at once and stalled the
            // workers for 200-260 ms (and the recogniser counted as behind at 25 callers).
            if (_audio16k.Count - _primaryStartedAt > (long)_owner._options.FallbackJoinWithinMs * 16)
            {
                return false;
            }
            if (!_holdsFallbackSlot && !_owner._fallbackSlots.Wait(0))
            {
                return false;
            }
            _holdsFallbackSlot = true;
            if (!_model.TryStart(_pool))
            {
                return false;
            }
            Interlocked.Increment(ref _owner._modelsBeside);
            return true;
        }

        private void Release()
        {
            _grammar?.Release(_pool);
            _model?.Release(_pool);
            if (_holdsFallbackSlot)
            {
                _holdsFallbackSlot = false;
                _owner._fallbackSlots.Release();
            }
        }

        // A forced match (speech outside the grammar squeezed into the nearest phrase) shows as
        // a phrase far shorter or longer than the speech heard. Maps the ratio onto [0, 1] with
        // 0.5 at the configured mismatch limit, so the dialog's thresholds read as probabilities.
        private double DurationConfidence(string text)
        {
            var ratio = DurationRatio(text);
            if (ratio <= 0)
            {
                return 0;
            }
            var off = Math.Abs(Math.Log(ratio));
            var limit = Math.Log(_owner._options.MaxDurationMismatch);
            return 1 / (1 + Math.Exp(4 * (off - limit) / limit));
        }

        // Speech heard (16 kHz frames of 20 ms above -45 dBFS) over the time the hypothesis
        // needs when spoken (about 65 ms per letter at a telephone pace).
        private double DurationRatio(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return 0;
            }
            var audio = _audio16k.Span;
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
    }
}
