using System.Diagnostics;
using System.Threading.Channels;
using Aicc.Domain.Conversation.Dialog;
using Aicc.Domain.Conversation.Intents;
using Aicc.Domain.Conversation.Scripts;
using Aicc.Domain.Conversation.Speech;
using Aicc.Telephony.Media;
using Aicc.Telephony.Speech;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aicc.Handlers.RobotPipeline;

/// <summary>The speech engines a robot call uses; shared by every call of a process.</summary>
public sealed record RobotEngines(ISpeechSynthesizer Tts, ISpeechRecognizer Asr);

/// <summary>Per-call tuning of <see cref="RobotCall"/>.</summary>
public sealed record RobotCallOptions
{
    /// <summary>Voice activity tuning (hangover = how long a pause ends the caller's turn).</summary>
    public VadOptions Vad { get; init; } = new();

    /// <summary>Frames kept before the detected onset and handed to ASR, so the first syllable is not cut.</summary>
    public int PreRollFrames { get; init; } = 15;

    /// <summary>Capacity of the dialog event channel a handler drains into the call's stream.</summary>
    public int EventCapacity { get; init; } = 256;
}

/// <summary>
/// What the media path did during one caller turn (onset to endpoint), so a cut or garbled
/// turn can be told apart: audio lost before the robot read it (<see cref="InboundDropped"/>,
/// <see cref="JitterShed"/>), ticks with nothing to play (<see cref="EmptyFrames"/>: an
/// underrun, not the caller's silence), or the caller really pausing.
/// </summary>
/// <param name="StartFrame">Index (since the call began) of the frame on which speech was detected.</param>
/// <param name="EndFrame">Index of the frame on which the endpoint fired.</param>
/// <param name="AudioFrames">Frames decoded from packets during the turn.</param>
/// <param name="ConcealedFrames">Frames made up for lost packets.</param>
/// <param name="EmptyFrames">Ticks on which nothing was due (jitter buffer empty).</param>
/// <param name="LongestEmptyRun">Longest run of consecutive empty ticks.</param>
/// <param name="InboundDropped">Frames the leg dropped because this call did not read them in time.</param>
/// <param name="JitterShed">Packets the jitter buffer discarded (late or over its latency cap) during the turn.</param>
/// <param name="MaxQueued">Deepest backlog of inbound frames seen while reading the turn (the loop's lag, in frames).</param>
/// <param name="LongestStallMs">Longest wall time the call's loop spent between two inbound reads during the turn.</param>
/// <param name="Text">What the recogniser made of it.</param>
public sealed record RobotTurnTrace(
    long StartFrame,
    long EndFrame,
    int AudioFrames,
    int ConcealedFrames,
    int EmptyFrames,
    int LongestEmptyRun,
    long InboundDropped,
    long JitterShed,
    int MaxQueued,
    double LongestStallMs,
    string Text);

/// <summary>
/// Runs one robot conversation over a media leg: inbound frames -> VAD -> ASR -> endpoint ->
/// intent -> the pure <see cref="DialogDecider"/> -> TTS by sentence -> outbound frames. The
/// decider decides everything (barge-in allowed, no-input and no-match handling, transfer);
/// this class only turns media into <see cref="DialogInput"/>s and the decider's events into
/// media actions, and hands every event out on <see cref="Events"/> so a handler can append
/// them to the call's stream. One loop per call reads the leg's bounded channels, so a call
/// costs no thread of its own.
/// </summary>
public sealed class RobotCall
{
    private readonly MediaLeg _leg;
    private readonly DialogScript _script;
    private readonly IntentClassifier _intents;
    private readonly RobotEngines _engines;
    private readonly RobotCallOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<DialogEvent> _events;
    private readonly ChannelReader<char>? _digits;
    private readonly Channel<DialogInput> _internal = Channel.CreateBounded<DialogInput>(16);
    private readonly Queue<AudioFrame> _preRoll = new();
    private readonly List<double> _replyLatenciesMs = [];
    private readonly List<double> _bargeInStopMs = [];
    private readonly List<RobotTurnTrace> _turns = [];
    private readonly IReadOnlyList<string> _scriptPhrases;
    private DialogState _state = DialogState.Initial;
    private CancellationTokenSource? _playback;
    private Task _playbackTask = Task.CompletedTask;
    private ISpeechRecognitionSession? _asr;
    private DialogEvent.ListenRequested? _listen;
    private DateTimeOffset? _noInputAt;
    private long? _endOfSpeechTicks;
    private long _bargeInTicks;
    private DateTimeOffset? _speechStartedAt;
    private long _frameIndex;
    private TurnCounters _turn;

    /// <summary>Creates the call; <see cref="RunAsync"/> drives it.</summary>
    /// <param name="digits">
    /// Where the caller's keys come from when the media leg's own events are read by someone else
    /// (call control turns them into call events, and SIP INFO digits never pass the media leg);
    /// null reads RFC 4733 digits from the leg itself.
    /// </param>
    public RobotCall(
        MediaLeg leg,
        DialogScript script,
        IntentClassifier intents,
        RobotEngines engines,
        RobotCallOptions? options = null,
        TimeProvider? time = null,
        ChannelReader<char>? digits = null,
        ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _digits = digits;
        _leg = leg;
        _script = script;
        _intents = intents;
        _engines = engines;
        _options = options ?? new RobotCallOptions();
        _time = time ?? TimeProvider.System;
        // Every phrase the script knows: the recogniser's wider net when a step's own phrases do not fit.
        _scriptPhrases = ScriptRecogniser.GrammarPhrases(script, script.Intents.Select(i => i.Name));
        _events = Channel.CreateBounded<DialogEvent>(new BoundedChannelOptions(_options.EventCapacity) { SingleReader = true, SingleWriter = true });
    }

    /// <summary>Every dialog event, in order; completed when the conversation ends.</summary>
    public ChannelReader<DialogEvent> Events => _events.Reader;

    /// <summary>The dialog state after the last step.</summary>
    public DialogState State => _state;

    /// <summary>Milliseconds from each end-of-speech decision to the reply's first frame handed to the leg.</summary>
    public IReadOnlyList<double> ReplyLatenciesMs => _replyLatenciesMs;

    /// <summary>Milliseconds from each barge-in detection until the prompt's queued audio was gone.</summary>
    public IReadOnlyList<double> BargeInStopMs => _bargeInStopMs;

    /// <summary>What the media path did in each caller turn, in order (diagnosis of cut turns).</summary>
    public IReadOnlyList<RobotTurnTrace> Turns => _turns;

    /// <summary>Runs the conversation until it transfers, hangs up, or <paramref name="cancel"/> fires.</summary>
    public Task<DialogState> RunAsync(IReadOnlyDictionary<string, string> variables, string? voice = null, CancellationToken cancel = default) =>
        LoopAsync(new DialogInput.CallAnswered(variables, voice, _time.GetUtcNow()), cancel);

    /// <summary>
    /// Goes on with a conversation an earlier <see cref="RobotCall"/> on the same leg left in
    /// <paramref name="from"/> (a transfer that found no agent comes back as
    /// <see cref="DialogInput.TransferFailed"/>), until it transfers or hangs up again.
    /// </summary>
    public Task<DialogState> ResumeAsync(DialogState from, DialogInput input, CancellationToken cancel = default)
    {
        _state = from;
        return LoopAsync(input, cancel);
    }

    private async Task<DialogState> LoopAsync(DialogInput first, CancellationToken cancel)
    {
        var vad = new VoiceActivityDetector(_options.Vad);
        try
        {
            await ApplyAsync(first, cancel).ConfigureAwait(false);
            while (!Finished())
            {
                while (_internal.Reader.TryRead(out var input))
                {
                    await ApplyAsync(input, cancel).ConfigureAwait(false);
                }
                if (_digits is not null)
                {
                    while (_digits.TryRead(out var digit))
                    {
                        await ApplyAsync(new DialogInput.DtmfReceived(digit.ToString(), _time.GetUtcNow()), cancel).ConfigureAwait(false);
                    }
                }
                else
                {
                    while (_leg.Events.TryRead(out var media))
                    {
                        if (media is MediaEvent.DtmfReceived dtmf)
                        {
                            await ApplyAsync(new DialogInput.DtmfReceived(dtmf.Digit.ToString(), _time.GetUtcNow()), cancel).ConfigureAwait(false);
                        }
                    }
                }
                if (Finished())
                {
                    break;
                }
                if (_noInputAt is { } due && _time.GetUtcNow() >= due && _asr is null)
                {
                    _noInputAt = null;
                    await ApplyAsync(new DialogInput.NoInputTimeout(_time.GetUtcNow()), cancel).ConfigureAwait(false);
                    continue;
                }
                var frame = await _leg.Inbound.ReadAsync(cancel).ConfigureAwait(false);
                _turn.Read(_leg.Inbound.Count);
                await OnFrameAsync(vad, frame, cancel).ConfigureAwait(false);
            }
            // A goodbye or hold prompt is played to the end before the robot leaves the media path.
            await _playbackTask.ConfigureAwait(false);
            return _state;
        }
        finally
        {
            _playback?.Cancel();
            _asr?.Dispose();
            while (_preRoll.TryDequeue(out var old))
            {
                old.Dispose();
            }
            _events.Writer.TryComplete();
        }
    }

    private bool Finished() =>
        _state.Phase is DialogPhase.Ended or DialogPhase.Transferring && _internal.Reader.Count == 0;

    private async Task OnFrameAsync(VoiceActivityDetector vad, AudioFrame frame, CancellationToken cancel)
    {
        using (frame)
        {
            var index = _frameIndex++;
            var activity = vad.Process(frame.ReadOnlyPcm);
            if (activity == VoiceActivity.SpeechStarted)
            {
                _turn = TurnCounters.Begin(index, _leg);
                _asr?.Dispose();
                _asr = _listen is null ? null : _engines.Asr.Start(new RecognitionContext(_listen.GrammarPhrases, _script.Language, _scriptPhrases));
                foreach (var earlier in _preRoll)
                {
                    _asr?.Accept(earlier.ReadOnlyPcm);
                }
                _bargeInTicks = Stopwatch.GetTimestamp();
                _speechStartedAt = _time.GetUtcNow();
                await ApplyAsync(new DialogInput.SpeechStarted(_speechStartedAt.Value), cancel).ConfigureAwait(false);
            }
            if (vad.InSpeech || activity == VoiceActivity.SpeechEnded)
            {
                _asr?.Accept(frame.ReadOnlyPcm);
                _turn.Count(frame.Kind);
            }
            _preRoll.Enqueue(frame.Copy());
            if (_preRoll.Count > _options.PreRollFrames)
            {
                _preRoll.Dequeue().Dispose();
            }
            if (activity == VoiceActivity.SpeechEnded && _asr is { } session)
            {
                _asr = null;
                _endOfSpeechTicks = Stopwatch.GetTimestamp();
                var endedAt = _time.GetUtcNow();
                var startedAt = _speechStartedAt ?? endedAt;
                var result = session.Finish();
                session.Dispose();
                var trace = _turn.End(index, _leg, result.Text);
                _turns.Add(trace);
                if (trace.InboundDropped > 0 || trace.JitterShed > 0)
                {
                    // The recogniser heard the turn with holes in it: say so, a cut transcript is otherwise silent.
                    _logger.LogWarning("Robot turn lost caller audio: {Trace}", trace);
                }
                var at = _time.GetUtcNow();
                if (result.IsEmpty)
                {
                    await ApplyAsync(new DialogInput.UtteranceRecognised(string.Empty, IntentPrediction.Unknown, 0, at, startedAt, endedAt), cancel).ConfigureAwait(false);
                    return;
                }
                var intent = _intents.Classify(result.Text);
                // A forced or fallback transcript lowers trust in the intent as well.
                var confidence = Math.Min(intent.Confidence, result.FromGrammar ? 1.0 : result.Confidence + 0.5);
                await ApplyAsync(new DialogInput.UtteranceRecognised(result.Text, intent.Intent, confidence, at, startedAt, endedAt), cancel).ConfigureAwait(false);
            }
        }
    }

    private struct TurnCounters
    {
        private long _start;
        private int _audio;
        private int _concealed;
        private int _empty;
        private int _emptyRun;
        private int _longestEmptyRun;
        private long _droppedBefore;
        private long _shedBefore;
        private int _maxQueued;
        private long _lastRead;
        private long _longestStall;

        public static TurnCounters Begin(long index, MediaLeg leg)
        {
            var statistics = leg.Session.Statistics;
            return new TurnCounters
            {
                _start = index,
                _droppedBefore = leg.InboundDropped,
                _shedBefore = statistics.DroppedForLatency + statistics.DroppedLate,
                _maxQueued = leg.Inbound.Count,
                _lastRead = Stopwatch.GetTimestamp(),
            };
        }

        public void Read(int queued)
        {
            var now = Stopwatch.GetTimestamp();
            if (_lastRead != 0)
            {
                _longestStall = Math.Max(_longestStall, now - _lastRead);
            }
            _lastRead = now;
            _maxQueued = Math.Max(_maxQueued, queued);
        }

        public void Count(FrameKind kind)
        {
            switch (kind)
            {
                case FrameKind.Audio:
                    _audio++;
                    _emptyRun = 0;
                    break;
                case FrameKind.Concealed:
                    _concealed++;
                    _emptyRun = 0;
                    break;
                default:
                    _empty++;
                    _longestEmptyRun = Math.Max(_longestEmptyRun, ++_emptyRun);
                    break;
            }
        }

        public readonly RobotTurnTrace End(long index, MediaLeg leg, string text)
        {
            var statistics = leg.Session.Statistics;
            return new RobotTurnTrace(
                _start, index, _audio, _concealed, _empty, _longestEmptyRun, leg.InboundDropped - _droppedBefore,
                statistics.DroppedForLatency + statistics.DroppedLate - _shedBefore, _maxQueued,
                Math.Round(_longestStall * 1000.0 / Stopwatch.Frequency, 1), text);
        }
    }

    private async Task ApplyAsync(DialogInput input, CancellationToken cancel)
    {
        var (state, events) = DialogDecider.Handle(_script, _state, input);
        _state = state;
        foreach (var @event in events)
        {
            await _events.Writer.WriteAsync(@event, cancel).ConfigureAwait(false);
            await ActAsync(@event, cancel).ConfigureAwait(false);
        }
    }

    private async Task ActAsync(DialogEvent @event, CancellationToken cancel)
    {
        switch (@event)
        {
            case DialogEvent.PromptRequested prompt:
                await StopPlaybackAsync().ConfigureAwait(false);
                StartPlayback(prompt, cancel);
                break;
            case DialogEvent.PlaybackStopped:
                await StopPlaybackAsync().ConfigureAwait(false);
                _bargeInStopMs.Add(Stopwatch.GetElapsedTime(_bargeInTicks).TotalMilliseconds);
                break;
            case DialogEvent.ListenRequested listen:
                _listen = listen;
                // The caller's silence counts from the end of the question, not while it is still being asked.
                _noInputAt = _state.PromptPlaying ? null : _time.GetUtcNow().AddMilliseconds(listen.TimeoutMs);
                break;
            case DialogEvent.PromptPlayed when _listen is { } listening && _noInputAt is null && !_state.PromptPlaying:
                _noInputAt = _time.GetUtcNow().AddMilliseconds(listening.TimeoutMs);
                break;
            case DialogEvent.CallerSpoke or DialogEvent.DtmfPressed or DialogEvent.NoInputCounted or DialogEvent.NoMatchCounted:
                _noInputAt = null;
                break;
            case DialogEvent.TransferRequested or DialogEvent.HangupRequested:
                _listen = null;
                _noInputAt = null;
                break;
        }
    }

    private void StartPlayback(DialogEvent.PromptRequested prompt, CancellationToken cancel)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        _playback = stop;
        var pieces = TtsSentenceSplitter.Split(prompt.Text);
        var replyStarted = _endOfSpeechTicks;
        _endOfSpeechTicks = null;
        _playbackTask = Task.Run(async () =>
        {
            var first = true;
            try
            {
                await foreach (var frame in SentenceStreamer.FramesAsync(_engines.Tts, pieces, prompt.Voice, stop.Token).ConfigureAwait(false))
                {
                    try
                    {
                        await _leg.Outbound.WriteAsync(frame, stop.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        frame.Dispose();
                        throw;
                    }
                    if (first && replyStarted is { } started)
                    {
                        lock (_replyLatenciesMs)
                        {
                            _replyLatenciesMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        }
                    }
                    first = false;
                }
                while (_leg.OutboundQueued > 0)
                {
                    await Task.Delay(10, stop.Token).ConfigureAwait(false);
                }
                await _internal.Writer.WriteAsync(new DialogInput.PromptFinished(_time.GetUtcNow()), stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Barge-in or a new prompt: what was queued is discarded by StopPlaybackAsync.
            }
        }, CancellationToken.None);
    }

    private async Task StopPlaybackAsync()
    {
        if (_playback is null)
        {
            return;
        }
        await _playback.CancelAsync().ConfigureAwait(false);
        try
        {
            await _playbackTask.ConfigureAwait(false);
        }
        finally
        {
            _playback.Dispose();
            _playback = null;
        }
        // Drop frames already queued for the clock so the caller hears the prompt stop now.
        _leg.DiscardOutbound();
    }
}
