using Aicc.Telephony.Audio;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;

namespace Aicc.Telephony.Tests.CallControl;

/// <summary>Two call-control nodes of ours calling each other over loopback SIP and RTP.</summary>
public sealed class CallControlLoopbackTests : IAsyncLifetime
{
    private readonly MediaClock _clock = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("aicc-callcontrol-").FullName;
    private CallControlNode _caller = null!;
    private CallControlNode _callee = null!;

    public Task InitializeAsync()
    {
        _caller = CallControlNode.Start(_clock);
        _callee = CallControlNode.Start(_clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _caller.DisposeAsync();
        await _callee.DisposeAsync();
        _clock.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<CallLegId> Originate(TimeSpan? ringTimeout = null) =>
        _caller.Control.OriginateAsync(new OriginateRequest("4420790001", _callee.Sip, "861055501234", "Acme Support", ringTimeout));

    [Fact]
    public async Task GivenAnAnsweredCall_ThenToneAndDigitsFlowAndTheHangUpIsReportedOnBothSides()
    {
        var outgoing = await Originate();
        var incoming = await _callee.Next<CallEvent.Incoming>();
        Assert.Equal("861055501234", incoming.Caller);
        Assert.Equal("Acme Support", incoming.CallerName);
        Assert.Equal("4420790001", incoming.Called);

        await _callee.Control.RingAsync(incoming.Leg);
        Assert.Equal(outgoing, (await _caller.Next<CallEvent.Ringing>()).Leg);
        await _callee.Control.AnswerAsync(incoming.Leg);
        Assert.Equal("PCMU", (await _callee.Next<CallEvent.Answered>()).Codec);
        Assert.Equal("PCMU", (await _caller.Next<CallEvent.Answered>()).Codec);

        var recordingPath = Path.Combine(_folder, "callee-hears.wav");
        var recording = await _callee.Control.RecordLegAsync(incoming.Leg, recordingPath);
        var tone = Path.Combine(_folder, "tone.wav");
        WavFile.Write(tone, ToneGenerator.Generate(697, TimeSpan.FromSeconds(1.5)));
        var played = await _caller.Control.PlayFileAsync(outgoing, tone);
        Assert.True(played.Completed);
        await Task.Delay(200);
        await recording.StopAsync();
        ToneAnalysis.AssertTone(recordingPath, 697);

        var collecting = _caller.Control.CollectDigitsAsync(outgoing, new DigitCollection(4, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3)));
        await _callee.Control.SendDtmfAsync(incoming.Leg, "42#");
        Assert.Equal("42", await collecting);
        var digit = await _caller.Next<CallEvent.DtmfReceived>();
        Assert.Equal(('4', DtmfTransport.Rfc4733), (digit.Digit, digit.Transport));

        await _callee.Control.HangUpAsync(incoming.Leg);
        var calleeEnd = await _callee.Next<CallEvent.Hungup>();
        Assert.Equal((CallCloseReason.Normal, CallEndedBy.Local), (calleeEnd.Reason, calleeEnd.By));
        var callerEnd = await _caller.Next<CallEvent.Hungup>();
        Assert.Equal((CallCloseReason.Normal, CallEndedBy.Remote, outgoing), (callerEnd.Reason, callerEnd.By, callerEnd.Leg));
        Assert.Equal(0, _caller.Control.ActiveLegs);
        Assert.Equal(0, _callee.Control.ActiveLegs);
    }

    [Fact]
    public async Task GivenTheCalleeRejectsBusy_ThenTheCallerSeesBBusyWith486()
    {
        var outgoing = await Originate();
        var incoming = await _callee.Next<CallEvent.Incoming>();
        await _callee.Control.RejectAsync(incoming.Leg, RejectCause.Busy);

        var end = await _caller.Next<CallEvent.Hungup>();
        Assert.Equal((outgoing, CallCloseReason.BBusy, CallEndedBy.Remote, (int?)486), (end.Leg, end.Reason, end.By, end.ProtocolCode));
        var calleeEnd = await _callee.Next<CallEvent.Hungup>();
        Assert.Equal((CallCloseReason.Other, CallEndedBy.Local, (int?)486), (calleeEnd.Reason, calleeEnd.By, calleeEnd.ProtocolCode));
    }

    [Fact]
    public async Task GivenNoAnswerBeforeTheRingTimeout_ThenTheCallIsCancelledAsBUnreachableAndTheCalleeSeesTheCancel()
    {
        var outgoing = await Originate(TimeSpan.FromMilliseconds(700));
        var incoming = await _callee.Next<CallEvent.Incoming>();
        await _callee.Control.RingAsync(incoming.Leg);

        var end = await _caller.Next<CallEvent.Hungup>();
        Assert.Equal((outgoing, CallCloseReason.BUnreachable, CallEndedBy.Local), (end.Leg, end.Reason, end.By));
        var calleeEnd = await _callee.Next<CallEvent.Hungup>();
        Assert.Equal((CallCloseReason.Normal, CallEndedBy.Remote, (int?)487), (calleeEnd.Reason, calleeEnd.By, calleeEnd.ProtocolCode));
    }

    [Fact]
    public async Task GivenAPlaybackStoppedForBargeIn_ThenItEndsEarlyAndTheCallerCanHangUpWithMaxDuration()
    {
        var outgoing = await Originate();
        var incoming = await _callee.Next<CallEvent.Incoming>();
        await _callee.Control.AnswerAsync(incoming.Leg);
        await _caller.Next<CallEvent.Answered>();

        using var bargeIn = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        var pcm = ToneGenerator.Generate(440, TimeSpan.FromSeconds(5));
        var bytes = new byte[pcm.Length * 2];
        Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
        var result = await _callee.Control.PlayStreamAsync(incoming.Leg, new MemoryStream(bytes), bargeIn.Token);
        Assert.True(result.Stopped);
        Assert.True(result.Played < TimeSpan.FromSeconds(1), $"played {result.Played}");

        await _caller.Control.HangUpAsync(outgoing, CallCloseReason.MaxDuration);
        var end = await _caller.Next<CallEvent.Hungup>();
        Assert.Equal((CallCloseReason.MaxDuration, CallEndedBy.Local), (end.Reason, end.By));
        var calleeEnd = await _callee.Next<CallEvent.Hungup>();
        Assert.Equal((CallCloseReason.Normal, CallEndedBy.Remote), (calleeEnd.Reason, calleeEnd.By));
    }

    [Fact]
    public async Task GivenTwoLegsBridged_ThenEachPartyHearsTheOtherAndTheBridgeRecordingHoldsBoth()
    {
        // The callee node is the B2BUA: an inbound leg from the caller, and an originated leg back to the caller node.
        await using var third = CallControlNode.Start(_clock);
        await _caller.Control.OriginateAsync(new OriginateRequest("100", _callee.Sip, "200"));
        var inbound = await _callee.Next<CallEvent.Incoming>();
        await _callee.Control.AnswerAsync(inbound.Leg);
        var callerLeg = (await _caller.Next<CallEvent.Answered>()).Leg;

        var onward = await _callee.Control.OriginateAsync(new OriginateRequest("300", third.Sip, "200"));
        var thirdIncoming = await third.Next<CallEvent.Incoming>();
        await third.Control.AnswerAsync(thirdIncoming.Leg);
        await _callee.Next<CallEvent.Answered>(match: a => a.Leg == onward);

        await _callee.Control.BridgeAsync(inbound.Leg, onward);
        var mixedPath = Path.Combine(_folder, "bridge.wav");
        var mixed = await _callee.Control.RecordBridgeAsync(inbound.Leg, mixedPath);
        var heardByThird = Path.Combine(_folder, "third.wav");
        var thirdRecording = await third.Control.RecordLegAsync(thirdIncoming.Leg, heardByThird);
        var heardByCaller = Path.Combine(_folder, "caller.wav");
        var callerRecording = await _caller.Control.RecordLegAsync(callerLeg, heardByCaller);

        var low = Path.Combine(_folder, "low.wav");
        var high = Path.Combine(_folder, "high.wav");
        WavFile.Write(low, ToneGenerator.Generate(500, TimeSpan.FromSeconds(1.5)));
        WavFile.Write(high, ToneGenerator.Generate(1500, TimeSpan.FromSeconds(1.5)));
        await Task.WhenAll(_caller.Control.PlayFileAsync(callerLeg, low), third.Control.PlayFileAsync(thirdIncoming.Leg, high));
        await Task.Delay(300);
        await thirdRecording.StopAsync();
        await callerRecording.StopAsync();
        await mixed.StopAsync();

        ToneAnalysis.AssertTone(heardByThird, 500);
        ToneAnalysis.AssertTone(heardByCaller, 1500);
        var both = Voiced(mixedPath);
        Assert.True(Goertzel.Power(both, 500) > 10 * Goertzel.Power(both, 1000), "the bridge recording lacks the caller's tone");
        Assert.True(Goertzel.Power(both, 1500) > 10 * Goertzel.Power(both, 1000), "the bridge recording lacks the third party's tone");
    }

    private static short[] Voiced(string path)
    {
        var samples = WavFile.Read(path).Samples;
        var first = Array.FindIndex(samples, s => Math.Abs((int)s) > 1000);
        Assert.True(first >= 0, $"{path} holds only silence");
        return samples.AsSpan(first + 800, Math.Min(8000, samples.Length - first - 800)).ToArray();
    }
}
