using System.Net;
using Aicc.Telephony.Audio;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;

namespace Aicc.Telephony.Tests.CallControl.Interop;

/// <summary>
/// Call control against a real softphone (baresip): audio must really cross both ways, so each
/// side plays its own tone and each recording must hold the other side's frequency; DTMF typed
/// on baresip must arrive as digits.
/// </summary>
public sealed class BaresipCallControlTests : IAsyncLifetime
{
    private const double OurTone = 700;
    private const double BaresipTone = 1300;

    private readonly MediaClock _clock = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("aicc-cc-baresip-").FullName;
    private CallControlNode _node = null!;
    private Baresip _baresip = null!;

    public async Task InitializeAsync()
    {
        _node = CallControlNode.Start(_clock);
        var wav = Path.Combine(_folder, "baresip-sends.wav");
        // Long enough that baresip's source never ends the call (aufile stops the call at end of file).
        WavFile.Write(wav, ToneGenerator.Generate(BaresipTone, TimeSpan.FromSeconds(30)));
        _baresip = await Baresip.StartAsync(wav);
    }

    public async Task DisposeAsync()
    {
        await _baresip.DisposeAsync();
        await _node.DisposeAsync();
        _clock.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task GivenWeCallBaresip_ThenAudioFlowsBothWaysItsDigitsArriveAndOurByeEndsItsCall()
    {
        var leg = await _node.Control.OriginateAsync(new OriginateRequest("b", new IPEndPoint(IPAddress.Loopback, _baresip.SipPort), "1000", "Aicc"));
        Assert.Equal("PCMU", (await _node.Next<CallEvent.Answered>()).Codec);
        await _baresip.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));

        var heard = await ExchangeTonesAsync(leg);

        var collecting = _node.Control.CollectDigitsAsync(leg, new DigitCollection(3, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3)));
        await _baresip.CommandAsync("sndcode", "159");
        Assert.Equal("159", await collecting);

        await _node.Control.HangUpAsync(leg);
        var end = await _node.Next<CallEvent.Hungup>();
        Assert.Equal((CallCloseReason.Normal, CallEndedBy.Local), (end.Reason, end.By));
        await _baresip.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
        AssertBothDirections(heard);
    }

    [Fact]
    public async Task GivenBaresipCallsUs_ThenWeAnswerAudioFlowsBothWaysAndItsByeIsAHangupByTheRemote()
    {
        await _baresip.CommandAsync("dial", $"sip:service@127.0.0.1:{_node.Sip.Port}");
        var incoming = await _node.Next<CallEvent.Incoming>();
        Assert.Equal("b", incoming.Caller);
        Assert.Equal("service", incoming.Called);
        await _node.Control.RingAsync(incoming.Leg);
        await _node.Control.AnswerAsync(incoming.Leg);
        await _baresip.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));

        var heard = await ExchangeTonesAsync(incoming.Leg);

        var collecting = _node.Control.CollectDigitsAsync(incoming.Leg, new DigitCollection(2, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3)));
        await _baresip.CommandAsync("sndcode", "7*");
        Assert.Equal("7*", await collecting);

        await _baresip.CommandAsync("hangup");
        var end = await _node.Next<CallEvent.Hungup>();
        Assert.Equal((incoming.Leg, CallCloseReason.Normal, CallEndedBy.Remote), (end.Leg, end.Reason, end.By));
        await _baresip.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
        AssertBothDirections(heard);
    }

    [Fact]
    public async Task GivenAConnectedCall_WhenWeTransferBlind_ThenBaresipAcceptsTheRefer()
    {
        var leg = await _node.Control.OriginateAsync(new OriginateRequest("b", new IPEndPoint(IPAddress.Loopback, _baresip.SipPort), "1000"));
        await _node.Next<CallEvent.Answered>();
        await _baresip.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));

        var accepted = await _node.Control.BlindTransferAsync(leg, $"sip:agent7@127.0.0.1:{_node.Sip.Port}");

        Assert.True(accepted);
        var result = await _node.Next<CallEvent.TransferResult>();
        Assert.Equal((leg, true), (result.Leg, result.Accepted));
        // Its first refer NOTIFY (message/sipfrag "SIP/2.0 100 Trying") reports the attempt under way.
        var progress = await _node.Next<CallEvent.TransferProgress>();
        Assert.Equal((leg, 100, false), (progress.Leg, progress.TargetStatus, progress.Final));
        // RFC 3515: the transferee now calls the target itself: that INVITE reaches us as a new inbound leg.
        var transferred = await _node.Next<CallEvent.Incoming>();
        Assert.Equal("agent7", transferred.Called);
        await _node.Control.AnswerAsync(transferred.Leg);
        // The final NOTIFY says the target answered; the transferor then ends the old call (RFC 5589 §6.1).
        var done = await _node.Next<CallEvent.TransferProgress>(match: p => p.Final);
        Assert.Equal((leg, 200, true), (done.Leg, done.TargetStatus, done.TargetAnswered));
        await _node.Control.HangUpAsync(leg);
        var end = await _node.Next<CallEvent.Hungup>(match: h => h.Leg == leg);
        Assert.Equal((CallCloseReason.Normal, CallEndedBy.Local), (end.Reason, end.By));
    }

    private async Task<string> ExchangeTonesAsync(CallLegId leg)
    {
        var ours = Path.Combine(_folder, $"we-hear-{leg}.wav");
        var recording = await _node.Control.RecordLegAsync(leg, ours);
        var tone = Path.Combine(_folder, "we-send.wav");
        WavFile.Write(tone, ToneGenerator.Generate(OurTone, TimeSpan.FromSeconds(2)));
        Assert.True((await _node.Control.PlayFileAsync(leg, tone)).Completed);
        await recording.StopAsync();
        return ours;
    }

    private void AssertBothDirections(string weHeard)
    {
        ToneAnalysis.AssertTone(weHeard, BaresipTone);
        var theyHeard = _baresip.DecodedRecording();
        Assert.NotNull(theyHeard);
        ToneAnalysis.AssertTone(theyHeard, OurTone);
    }
}
