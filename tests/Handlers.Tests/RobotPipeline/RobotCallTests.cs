using System.Net;
using Aicc.Domain.Conversation.Demo;
using Aicc.Domain.Conversation.Dialog;
using Aicc.Domain.Conversation.Scripts;
using Aicc.Handlers.RobotPipeline;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Codecs;
using Aicc.Telephony.Media;
using Aicc.Telephony.Rtp;
using Aicc.Telephony.Speech;
using Xunit.Abstractions;

namespace Aicc.Handlers.Tests.RobotPipeline;

public sealed partial class RobotCallTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Customer = new()
    {
        ["name"] = "Alex", ["company"] = "Acme", ["product"] = "fibre broadband", ["price"] = "twenty dollars",
    };

    private readonly MediaClock _clock = new();
    private readonly PocketSphinxRecognizer _asr = new(new PocketSphinxOptions { MaxDecoders = 1 });
    private readonly FliteSynthesizer _flite = new();
    private readonly List<MediaLeg> _legs = [];

    public Task InitializeAsync() => Task.Run(() => _asr.Prewarm(1));

    public async Task DisposeAsync()
    {
        foreach (var leg in _legs)
        {
            await leg.DisposeAsync();
        }
        _clock.Dispose();
        _asr.Dispose();
    }

    // Robot and caller legs talking G.711 mu-law over loopback RTP, as a trunk would.
    private (MediaLeg Robot, MediaLeg Caller) Legs()
    {
        var robot = new MediaLeg(RtpSession.Open(IPAddress.Loopback), _clock);
        // The caller queues its whole sentence at once, as a phone's audio device buffers it: on
        // a busy box a producer paced by the thread pool would put gaps into the caller's own speech.
        var caller = new MediaLeg(RtpSession.Open(IPAddress.Loopback), _clock, new MediaLegOptions { OutboundCapacity = 500 });
        robot.Session.Configure(new RtpSessionParameters(AudioCodec.Pcmu, 0, 101, caller.Session.LocalRtp, null));
        caller.Session.Configure(new RtpSessionParameters(AudioCodec.Pcmu, 0, 101, robot.Session.LocalRtp, null));
        _legs.Add(robot);
        _legs.Add(caller);
        return (robot, caller);
    }

    private RobotCall Robot(MediaLeg leg, int? askTimeoutMs = null, ISpeechSynthesizer? tts = null)
    {
        var script = RobotDemo.Script("en");
        if (askTimeoutMs is { } timeout)
        {
            script = script with { Nodes = script.Nodes.Select(n => n is AskNode ask ? ask with { TimeoutMs = timeout } : n).ToList() };
        }
        return new RobotCall(leg, script, ScriptRecogniser.Train(script), new RobotEngines(tts ?? new PromptCache(_flite), _asr));
    }

    // Drains the caller's inbound so the robot's audio does not pile up, and collects the robot's events.
    private static async Task<List<DialogEvent>> Collect(RobotCall robot, Func<DialogEvent, Task> onEvent)
    {
        var seen = new List<DialogEvent>();
        await foreach (var @event in robot.Events.ReadAllAsync())
        {
            seen.Add(@event);
            await onEvent(@event);
        }
        return seen;
    }

    private static async Task DrainAsync(MediaLeg leg, CancellationToken cancel)
    {
        try
        {
            await foreach (var frame in leg.Inbound.ReadAllAsync(cancel))
            {
                frame.Dispose();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Trace(RobotCall robot, MediaLeg robotLeg, MediaLeg caller)
    {
        var statistics = robotLeg.Session.Statistics;
        return $"turns: [{string.Join("; ", robot.Turns)}]; robot leg: dropped {robotLeg.InboundDropped}, concealed {statistics.FramesConcealed}, " +
            $"late {statistics.DroppedLate}, shed {statistics.DroppedForLatency}, drained {statistics.SilenceDrained}; caller starved {caller.OutboundStarved} ticks";
    }

    [Fact]
    public async Task Caller_asking_for_a_human_is_transferred()
    {
        var (robotLeg, caller) = Legs();
        var robot = Robot(robotLeg);
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var drain = DrainAsync(caller, done.Token);
        var utterance = (await _flite.SynthesizeAsync("I want to speak to a human agent.", "kal16")).Samples;
        var spoke = false;
        var run = robot.RunAsync(Customer, cancel: done.Token);
        var events = await Collect(robot, async e =>
        {
            if (e is DialogEvent.ListenRequested && !spoke)
            {
                spoke = true;
                // Let the prompt finish: this caller waits politely.
                await Task.Delay(300);
                _ = caller.PlayAsync(utterance, done.Token);
            }
        });
        var state = await run;
        await done.CancelAsync();
        await drain;

        var media = Trace(robot, robotLeg, caller);
        output.WriteLine(media);
        var detected = Assert.Single(events.OfType<DialogEvent.IntentDetected>());
        Assert.Equal("transfer_to_human", detected.Intent);
        var spokeEvent = Assert.Single(events.OfType<DialogEvent.CallerSpoke>());
        // The whole sentence: a turn cut short by the media path must fail here, whatever its intent.
        Assert.True(spokeEvent.Text == "i want to speak to a human agent", $"heard '{spokeEvent.Text}'; {media}");
        Assert.Single(events.OfType<DialogEvent.TransferRequested>());
        Assert.Equal(DialogPhase.Transferring, state.Phase);
        Assert.Contains(events, e => e is DialogEvent.PromptPlayed);
        Assert.NotEmpty(robot.ReplyLatenciesMs);
    }

    /// <summary>
    /// Flite as it runs on a starved CPU: every synthesis takes <paramref name="stall"/> longer,
    /// on the calling thread (flite is a blocking native call).
    /// </summary>
    private sealed class StarvedSynthesizer(ISpeechSynthesizer inner, TimeSpan stall) : ISpeechSynthesizer
    {
        public bool Supports(string voice) => inner.Supports(voice);

        public ValueTask<PcmAudio> SynthesizeAsync(string text, string voice, CancellationToken cancel = default)
        {
            Thread.Sleep(stall);
            return inner.SynthesizeAsync(text, voice, cancel);
        }
    }

    [Fact]
    public async Task GivenTheRobotsSpeechSynthesisIsSlow_WhenTheCallerTalksOverTheQuestion_ThenTheWholeSentenceIsHeard()
    {
        // Seen under load (issue 5): the caller barged in while the question was still being
        // synthesised, the call's loop waited for the synthesis before it read the caller's audio
        // again, the leg's inbound buffer overflowed and the turn came out cut ("i want to list").
        var (robotLeg, caller) = Legs();
        var robot = Robot(robotLeg, tts: new StarvedSynthesizer(new PromptCache(_flite), TimeSpan.FromMilliseconds(2500)));
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var drain = DrainAsync(caller, done.Token);
        var utterance = (await _flite.SynthesizeAsync("I want to speak to a human agent.", "kal16")).Samples;
        var spoke = false;
        var run = robot.RunAsync(Customer, cancel: done.Token);
        var events = await Collect(robot, async e =>
        {
            if (e is DialogEvent.ListenRequested { NodeId: "confirm" } && !spoke)
            {
                spoke = true;
                await Task.Delay(300);
                _ = caller.PlayAsync(utterance, done.Token);
            }
        });
        await run;
        await done.CancelAsync();
        await drain;

        var media = Trace(robot, robotLeg, caller);
        output.WriteLine(media);
        var turn = Assert.Single(robot.Turns);
        Assert.True(turn.InboundDropped == 0, media);
        Assert.Equal("i want to speak to a human agent", Assert.Single(events.OfType<DialogEvent.CallerSpoke>()).Text);
        Assert.Equal("transfer_to_human", Assert.Single(events.OfType<DialogEvent.IntentDetected>()).Intent);
        Assert.Single(events.OfType<DialogEvent.PlaybackStopped>());
    }

    [Fact]
    public async Task Dtmf_choice_follows_the_script()
    {
        var (robotLeg, caller) = Legs();
        var robot = Robot(robotLeg);
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var drain = DrainAsync(caller, done.Token);
        var pressed = false;
        var run = robot.RunAsync(Customer, cancel: done.Token);
        var events = await Collect(robot, e =>
        {
            if (e is DialogEvent.ListenRequested { NodeId: "confirm" } && !pressed)
            {
                pressed = true;
                caller.SendDtmf("2");
            }
            return Task.CompletedTask;
        });
        var state = await run;
        await done.CancelAsync();
        await drain;

        Assert.Equal("2", Assert.Single(events.OfType<DialogEvent.DtmfPressed>()).Digits);
        Assert.Equal("wrong_number", Assert.Single(events.OfType<DialogEvent.HangupRequested>()).Disposition);
        Assert.Equal(DialogPhase.Ended, state.Phase);
    }

    [Fact]
    public async Task Speech_during_a_prompt_that_allows_it_stops_playback()
    {
        var (robotLeg, caller) = Legs();
        var robot = Robot(robotLeg);
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var drain = DrainAsync(caller, done.Token);
        var utterance = (await _flite.SynthesizeAsync("I want to speak to a human agent.", "kal16")).Samples;
        var interrupted = false;
        var run = robot.RunAsync(Customer, cancel: done.Token);
        var events = await Collect(robot, async e =>
        {
            if (e is DialogEvent.PromptRequested { NodeId: "confirm", BargeIn: true } && !interrupted)
            {
                interrupted = true;
                await Task.Delay(600);
                _ = caller.PlayAsync(utterance, done.Token);
            }
        });
        await run;
        await done.CancelAsync();
        await drain;

        var stopped = Assert.Single(events.OfType<DialogEvent.PlaybackStopped>());
        Assert.Equal("confirm", stopped.NodeId);
        Assert.Single(robot.BargeInStopMs);
        // The interrupted prompt never counts as played; the caller's words are still the answer.
        Assert.DoesNotContain(events, e => e is DialogEvent.PromptPlayed { NodeId: "confirm" });
        Assert.Equal("transfer_to_human", Assert.Single(events.OfType<DialogEvent.IntentDetected>()).Intent);
    }

    [Fact]
    public async Task Silence_runs_out_the_no_input_retries_and_hangs_up()
    {
        var (robotLeg, caller) = Legs();
        var robot = Robot(robotLeg, askTimeoutMs: 400);
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var drain = DrainAsync(caller, done.Token);
        var run = robot.RunAsync(Customer, cancel: done.Token);
        var events = await Collect(robot, _ => Task.CompletedTask);
        var state = await run;
        await done.CancelAsync();
        await drain;

        // The demo's confirm step allows two no-input retries, then says goodbye.
        Assert.Equal([1, 2, 3], events.OfType<DialogEvent.NoInputCounted>().Select(n => n.Count));
        Assert.Equal("no_input", Assert.Single(events.OfType<DialogEvent.HangupRequested>()).Disposition);
        Assert.Empty(events.OfType<DialogEvent.CallerSpoke>());
        Assert.Equal(DialogPhase.Ended, state.Phase);
    }
}
