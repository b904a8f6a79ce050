using System.Globalization;
using Aicc.Telephony.Audio;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;
using Aicc.Telephony.Tests.Sip.Interop;

namespace Aicc.Telephony.Tests.CallControl.Interop;

/// <summary>Call control against the real sipp (sip-tester): its pcap audio, its RTP echo, CANCEL and 486.</summary>
public sealed class SippCallControlTests : IAsyncLifetime
{
    private readonly MediaClock _clock = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("aicc-cc-sipp-").FullName;
    private CallControlNode _node = null!;

    public Task InitializeAsync()
    {
        _node = CallControlNode.Start(_clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _clock.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Scenario(string name) => Path.Combine(AppContext.BaseDirectory, "CallControl", "Interop", name);

    private static string Port() => Sipp.FreeUdpPort().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task GivenSippPlayingItsPcap_WhenOurUasAnswersRecordsAndHangsUp_ThenTheRecordingHoldsItsSpeechAndTheDigitArrives()
    {
        using var sipp = Sipp.Start(
        [
            "-sf", Scenario("uac_pcap_answered_by_us.xml"), $"127.0.0.1:{_node.Sip.Port}",
            "-i", "127.0.0.1", "-p", Port(), "-mp", Port(), "-m", "1", "-nostdin", "-timeout", "25s", "-timeout_error", "-trace_err",
        ]);
        var incoming = await _node.Next<CallEvent.Incoming>();
        await _node.Control.AnswerAsync(incoming.Leg);
        Assert.Equal("PCMA", (await _node.Next<CallEvent.Answered>()).Codec);
        var path = Path.Combine(_folder, "sipp-pcap.wav");
        var recording = await _node.Control.RecordLegAsync(incoming.Leg, path);

        var digit = await _node.Next<CallEvent.DtmfReceived>(TimeSpan.FromSeconds(10));
        var result = await recording.StopAsync();
        await _node.Control.HangUpAsync(incoming.Leg);
        var end = await _node.Next<CallEvent.Hungup>();
        var run = await sipp.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(run.ExitCode == 0, $"sipp exit {run.ExitCode}:\n{run.Output}");
        Assert.Equal(('1', DtmfTransport.Rfc4733), (digit.Digit, digit.Transport));
        Assert.Equal((CallCloseReason.Normal, CallEndedBy.Local), (end.Reason, end.By));
        Assert.True(result.Duration > TimeSpan.FromSeconds(2.5), $"recorded {result.Duration}");
        // The pcap is speech: its 20 ms frames carry energy well above the codec's silence floor.
        var samples = WavFile.Read(path).Samples;
        var voicedFrames = samples.Chunk(160).Count(f => Math.Sqrt(f.Average(s => (double)s * s)) > 300);
        Assert.True(voicedFrames > 50, $"only {voicedFrames} voiced frames of {samples.Length / 160}");
    }

    [Fact]
    public async Task GivenSippEchoingRtp_WhenOurUacPlaysATone_ThenTheEchoHasTheToneFrequencyAndSippSeesOurBye()
    {
        var sippPort = Sipp.FreeUdpPort();
        using var sipp = Sipp.Start(
        [
            "-sn", "uas", "-rtp_echo", "-i", "127.0.0.1", "-p", sippPort.ToString(CultureInfo.InvariantCulture), "-mp", Port(),
            "-m", "1", "-nostdin", "-timeout", "25s", "-timeout_error", "-trace_err",
        ]);
        await Task.Delay(300);
        var leg = await _node.Control.OriginateAsync(new OriginateRequest("service", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, sippPort), "1000", "Echo Test"));
        Assert.Equal("PCMU", (await _node.Next<CallEvent.Answered>()).Codec);
        var path = Path.Combine(_folder, "echo.wav");
        var recording = await _node.Control.RecordLegAsync(leg, path);
        var tone = Path.Combine(_folder, "tone.wav");
        WavFile.Write(tone, ToneGenerator.Generate(1200, TimeSpan.FromSeconds(1.5)));
        Assert.True((await _node.Control.PlayFileAsync(leg, tone)).Completed);
        await Task.Delay(300);
        await recording.StopAsync();
        await _node.Control.HangUpAsync(leg);
        var end = await _node.Next<CallEvent.Hungup>();
        var run = await sipp.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(run.ExitCode == 0, $"sipp exit {run.ExitCode}:\n{run.Output}");
        Assert.Equal((CallCloseReason.Normal, CallEndedBy.Local), (end.Reason, end.By));
        ToneAnalysis.AssertTone(path, 1200);
    }

    [Fact]
    public async Task GivenSippCancelsWhileWeRing_ThenTheLegEndsNormallyByTheRemoteWith487()
    {
        using var sipp = Sipp.Start(
        [
            "-sf", Scenario("uac_cancel_while_ringing.xml"), $"127.0.0.1:{_node.Sip.Port}",
            "-i", "127.0.0.1", "-p", Port(), "-mp", Port(), "-m", "1", "-nostdin", "-timeout", "15s", "-timeout_error", "-trace_err",
        ]);
        var incoming = await _node.Next<CallEvent.Incoming>();
        await _node.Control.RingAsync(incoming.Leg);
        var end = await _node.Next<CallEvent.Hungup>();
        var run = await sipp.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(run.ExitCode == 0, $"sipp exit {run.ExitCode}:\n{run.Output}");
        Assert.Equal((incoming.Leg, CallCloseReason.Normal, CallEndedBy.Remote, (int?)487), (end.Leg, end.Reason, end.By, end.ProtocolCode));
        Assert.Equal(0, _node.Control.ActiveLegs);
    }

    [Fact]
    public async Task GivenSippAnswers486_WhenWeOriginate_ThenTheLegClosesAsBBusy()
    {
        var sippPort = Sipp.FreeUdpPort();
        using var sipp = Sipp.Start(
        [
            "-sf", Scenario("uas_busy.xml"), "-i", "127.0.0.1", "-p", sippPort.ToString(CultureInfo.InvariantCulture), "-mp", Port(),
            "-m", "1", "-nostdin", "-timeout", "15s", "-timeout_error", "-trace_err",
        ]);
        await Task.Delay(300);
        var leg = await _node.Control.OriginateAsync(new OriginateRequest("busy", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, sippPort), "1000"));
        var end = await _node.Next<CallEvent.Hungup>();
        var run = await sipp.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(run.ExitCode == 0, $"sipp exit {run.ExitCode}:\n{run.Output}");
        Assert.Equal((leg, CallCloseReason.BBusy, CallEndedBy.Remote, (int?)486), (end.Leg, end.Reason, end.By, end.ProtocolCode));
    }

    [Theory]
    [InlineData("trunkpass", true)]
    [InlineData("wrong", false)]
    public async Task GivenATrunkThatChallengesInvites_WhenWeOriginateWithCredentials_ThenOnlyTheRightPasswordIsAnswered(string password, bool answered)
    {
        var sippPort = Sipp.FreeUdpPort();
        using var sipp = Sipp.Start(
        [
            "-sf", Scenario("uas_digest.xml"), "-i", "127.0.0.1", "-p", sippPort.ToString(CultureInfo.InvariantCulture), "-mp", Port(),
            "-m", "1", "-nostdin", "-timeout", "15s", "-timeout_error", "-trace_err",
        ]);
        await Task.Delay(300);
        var leg = await _node.Control.OriginateAsync(new OriginateRequest("4420790001", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, sippPort), "1000",
            Credentials: new TrunkCredentials("trunkuser", password)));
        if (answered)
        {
            Assert.Equal(leg, (await _node.Next<CallEvent.Answered>()).Leg);
            await _node.Control.HangUpAsync(leg);
            await _node.Next<CallEvent.Hungup>();
            var run = await sipp.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.True(run.ExitCode == 0, $"sipp exit {run.ExitCode}:\n{run.Output}");
        }
        else
        {
            var end = await _node.Next<CallEvent.Hungup>();
            Assert.Equal((CallCloseReason.ChannelError, (int?)403), (end.Reason, end.ProtocolCode));
        }
    }

    [Fact]
    public async Task GivenSippSendsDtmfBySipInfo_ThenTheDigitsAreCollectedAndReportedAsSipInfo()
    {
        using var sipp = Sipp.Start(
        [
            "-sf", Scenario("uac_info_dtmf.xml"), $"127.0.0.1:{_node.Sip.Port}",
            "-i", "127.0.0.1", "-p", Port(), "-mp", Port(), "-m", "1", "-nostdin", "-timeout", "20s", "-timeout_error", "-trace_err",
        ]);
        var incoming = await _node.Next<CallEvent.Incoming>();
        var collecting = _node.Control.AnswerAsync(incoming.Leg)
            .ContinueWith(_ => _node.Control.CollectDigitsAsync(incoming.Leg, new DigitCollection(4, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3))), TaskScheduler.Default).Unwrap();

        Assert.Equal("5", await collecting);
        var digit = await _node.Next<CallEvent.DtmfReceived>();
        Assert.Equal(('5', 160, DtmfTransport.SipInfo), (digit.Digit, digit.DurationMs, digit.Transport));
        await _node.Control.HangUpAsync(incoming.Leg);
        var run = await sipp.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(run.ExitCode == 0, $"sipp exit {run.ExitCode}:\n{run.Output}");
    }
}
