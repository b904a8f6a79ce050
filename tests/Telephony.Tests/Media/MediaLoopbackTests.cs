using System.Net;
using System.Net.Sockets;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Codecs;
using Aicc.Telephony.Media;
using Aicc.Telephony.Rtp;

namespace Aicc.Telephony.Tests.Media;

public sealed class MediaLoopbackTests : IAsyncLifetime
{
    private readonly MediaClock _clock = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("aicc-media-").FullName;
    private readonly List<IAsyncDisposable> _cleanup = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_cleanup))
        {
            await item.DisposeAsync();
        }
        _clock.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private MediaLeg Leg(AudioCodec codec, IPEndPoint? remoteRtp, IPEndPoint? remoteRtcp = null, TimeSpan? rtcpInterval = null)
    {
        var session = RtpSession.Open(IPAddress.Loopback, new RtpSessionOptions { RtcpInterval = rtcpInterval ?? TimeSpan.FromSeconds(5) });
        session.Configure(new RtpSessionParameters(codec, codec.PayloadType, 101, remoteRtp, remoteRtcp));
        var leg = new MediaLeg(session, _clock);
        _cleanup.Add(leg);
        return leg;
    }

    private static void Reconfigure(MediaLeg leg, AudioCodec codec, IPEndPoint? remoteRtp, IPEndPoint? remoteRtcp) =>
        leg.Session.Configure(new RtpSessionParameters(codec, codec.PayloadType, 101, remoteRtp, remoteRtcp));

    private static short[] Voiced(string path)
    {
        // What was heard, without the silence before the first packet, after the last one, or
        // while a starved machine stalled a thread: the 20 ms frames that carry sound.
        var samples = WavFile.Read(path).Samples;
        var voiced = samples.Chunk(160)
            .Where(frame => Math.Sqrt(frame.Average(s => (double)s * s)) > 500)
            .SelectMany(frame => frame)
            .ToArray();
        Assert.True(voiced.Length >= 4000, $"{path} holds only {voiced.Length} voiced samples");
        return voiced.AsSpan(0, Math.Min(voiced.Length, 8000)).ToArray();
    }

    [Fact]
    public async Task ToneCrossesALossyReorderingNetworkBothWaysAndEachSideRecordsTheOthersFrequency()
    {
        var legA = Leg(AudioCodec.Pcma, remoteRtp: null, rtcpInterval: TimeSpan.FromMilliseconds(300));
        using var nowhere = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        nowhere.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // B's SDP points at a dead address; symmetric RTP must find the relay instead.
        var legB = Leg(AudioCodec.Pcma, (IPEndPoint)nowhere.LocalEndPoint!, legA.Session.LocalRtcp, TimeSpan.FromMilliseconds(300));
        var relay = new UdpRelay(legA.Session.LocalRtp, legB.Session.LocalRtp, dropEvery: 20, holdEvery: 7, duplicateEvery: 45);
        _cleanup.Add(relay);
        Reconfigure(legA, AudioCodec.Pcma, relay.FacingA, legB.Session.LocalRtcp);

        var recordA = legA.StartRecording(Path.Combine(_folder, "a.wav"));
        var recordB = legB.StartRecording(Path.Combine(_folder, "b.wav"));
        var playA = legA.PlayAsync(ToneGenerator.Generate(1000, TimeSpan.FromSeconds(2)));
        var playB = legB.PlayAsync(ToneGenerator.Generate(600, TimeSpan.FromSeconds(2)));
        Assert.True((await playA).Completed);
        Assert.True((await playB).Completed);
        await Task.Delay(300);
        await recordA.StopAsync();
        await recordB.StopAsync();

        var heardByB = Voiced(recordB.Path);
        var heardByA = Voiced(recordA.Path);
        Assert.Equal(1000, Goertzel.DominantFrequency(heardByB));
        Assert.Equal(600, Goertzel.DominantFrequency(heardByA));
        Assert.True(Goertzel.PurityAt(heardByB, 1000) > 0.7, $"purity {Goertzel.PurityAt(heardByB, 1000)}");
        Assert.True(Goertzel.PurityAt(heardByA, 600) > 0.7, $"purity {Goertzel.PurityAt(heardByA, 600)}");

        var b = legB.Session.Statistics;
        Assert.Equal(relay.FacingB, b.LatchedRemote);
        Assert.True(relay.Dropped > 0 && relay.Reordered > 0 && relay.Duplicated > 0);
        Assert.True(b.FramesConcealed > 0, "losses must be concealed");
        Assert.True(b.DroppedDuplicate > 0, "duplicates must be dropped");
        Assert.True(b.CumulativeLost > 0, "RFC 3550 §A.3 counts duplicates as received, so fewer duplicates than drops leaves loss");
        Assert.True(legB.Session.Statistics.DroppedLate < 5, "held-back packets are reordered, not dropped as late");

        // RTCP went directly between the sessions: each knows how the other received it.
        var aView = legA.Session.Statistics;
        Assert.True(aView.RtcpReceived > 0 && aView.RtcpSent > 0);
        Assert.NotNull(aView.RemoteReport);
        Assert.True(aView.RemoteReport!.Value.CumulativeLost > 0, "B reports the relay's losses to A");
        Assert.NotNull(aView.RoundTrip);
        Assert.True(aView.RoundTrip!.Value < TimeSpan.FromSeconds(1));

        // The sender's packets are paced with timestamps advancing one frame per sequence number.
        var sent = relay.SeenFromA.Where(p => p.Pt == AudioCodec.Pcma.PayloadType).ToList();
        var steps = sent.Zip(sent.Skip(1)).Where(p => (ushort)(p.Second.Seq - p.First.Seq) == 1).Select(p => p.Second.Ts - p.First.Ts).Distinct().ToList();
        Assert.Equal([160u], steps);
    }

    [Fact]
    public async Task DtmfDigitsArriveOnceEachAsTypedEvents()
    {
        var legA = Leg(AudioCodec.Pcmu, remoteRtp: null);
        var legB = Leg(AudioCodec.Pcmu, remoteRtp: null);
        var relay = new UdpRelay(legA.Session.LocalRtp, legB.Session.LocalRtp, dropEvery: 9, holdEvery: 1000, duplicateEvery: 1000);
        _cleanup.Add(relay);
        Reconfigure(legA, AudioCodec.Pcmu, relay.FacingA, null);
        Reconfigure(legB, AudioCodec.Pcmu, relay.FacingB, null);

        legA.SendDtmf("19#*", durationMs: 80);

        var digits = new List<char>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var happening in legB.Events.ReadAllAsync(timeout.Token))
        {
            if (happening is MediaEvent.DtmfReceived dtmf)
            {
                digits.Add(dtmf.Digit);
                if (digits.Count == 4)
                {
                    break;
                }
            }
        }
        Assert.Equal("19#*", new string(digits.ToArray()));
        while (legA.Session.SendingDtmf && !timeout.IsCancellationRequested)
        {
            await Task.Delay(20);
        }
        await Task.Delay(200);
        Assert.Equal(4, legB.Session.Statistics.DtmfReceived); // end packets and updates did not repeat digits
        var events = relay.SeenFromA.Where(p => p.Pt == 101).GroupBy(p => p.Ts).ToList();
        Assert.Equal(4, events.Count);
        Assert.All(events, e => Assert.True(e.Count() >= 4 + 2, "start/updates plus three end packets"));
    }

    [Fact]
    public async Task ABridgeCarriesEachCallersAudioToTheOther()
    {
        // caller <-> engine leg X, bridged to engine leg Y <-> callee
        var caller = Leg(AudioCodec.Pcmu, null);
        var callee = Leg(AudioCodec.Pcma, null);
        var x = Leg(AudioCodec.Pcmu, caller.Session.LocalRtp);
        var y = Leg(AudioCodec.Pcma, callee.Session.LocalRtp);
        Reconfigure(caller, AudioCodec.Pcmu, x.Session.LocalRtp, null);
        Reconfigure(callee, AudioCodec.Pcma, y.Session.LocalRtp, null);
        var bridge = MediaBridge.Connect(x, y);
        _cleanup.Add(bridge);

        var calleeHears = callee.StartRecording(Path.Combine(_folder, "callee.wav"));
        var callerHears = caller.StartRecording(Path.Combine(_folder, "caller.wav"));
        await Task.WhenAll(
            caller.PlayAsync(ToneGenerator.Generate(800, TimeSpan.FromSeconds(1.6))),
            callee.PlayAsync(ToneGenerator.Generate(1400, TimeSpan.FromSeconds(1.6))));
        await Task.Delay(300);
        await calleeHears.StopAsync();
        await callerHears.StopAsync();

        Assert.Equal(800, Goertzel.DominantFrequency(Voiced(calleeHears.Path)));
        Assert.Equal(1400, Goertzel.DominantFrequency(Voiced(callerHears.Path)));
        Assert.True(bridge.Forwarded > 100);
    }

    [Fact]
    public async Task StoppingAPlaybackEndsItAtOnceAndDiscardsWhatWasQueued()
    {
        var listener = Leg(AudioCodec.Pcmu, null);
        var speaker = Leg(AudioCodec.Pcmu, listener.Session.LocalRtp);
        using var bargeIn = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));

        var result = await speaker.PlayAsync(ToneGenerator.Generate(500, TimeSpan.FromSeconds(10)), bargeIn.Token);

        Assert.True(result.Stopped);
        Assert.InRange(result.Played, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3));
        Assert.Equal(0, speaker.OutboundQueued);
        var sentAtStop = speaker.Session.Statistics.PacketsSent;
        await Task.Delay(200);
        // After the stop only silence goes out: the listener's recent frames carry no tone.
        var frames = new List<AudioFrame>();
        while (listener.Inbound.TryRead(out var frame))
        {
            frames.Add(frame);
        }
        var tail = frames.TakeLast(3).SelectMany(f => f.ReadOnlyPcm.ToArray()).ToArray();
        frames.ForEach(f => f.Dispose());
        Assert.True(tail.All(s => Math.Abs((int)s) < 50), "tone still playing after stop");
        Assert.True(speaker.Session.Statistics.PacketsSent > sentAtStop, "the pacer keeps sending (silence)");
    }

    [Fact]
    public async Task HoldStopsSendingAndUnholdResumes()
    {
        var listener = Leg(AudioCodec.Pcmu, null);
        var speaker = Leg(AudioCodec.Pcmu, listener.Session.LocalRtp);
        await Task.Delay(200);
        speaker.Session.Configure(new RtpSessionParameters(AudioCodec.Pcmu, 0, 101, listener.Session.LocalRtp, null, Send: false, Receive: true));
        await Task.Delay(60);
        var held = speaker.Session.Statistics.PacketsSent;
        await Task.Delay(200);
        Assert.Equal(held, speaker.Session.Statistics.PacketsSent);
        speaker.Session.Configure(new RtpSessionParameters(AudioCodec.Pcmu, 0, 101, listener.Session.LocalRtp, null));
        await Task.Delay(200);
        Assert.True(speaker.Session.Statistics.PacketsSent > held);
    }

    [Fact]
    public async Task WavFilesAndRawPcmStreamsPlayToThePeer()
    {
        var listener = Leg(AudioCodec.Pcma, null);
        var speaker = Leg(AudioCodec.Pcma, listener.Session.LocalRtp);
        var wav = Path.Combine(_folder, "prompt.wav");
        WavFile.Write(wav, ToneGenerator.Generate(900, TimeSpan.FromSeconds(1)));
        var pcmBytes = ToneGenerator.Generate(1300, TimeSpan.FromSeconds(1.1)).SelectMany(s => BitConverter.GetBytes(s)).ToArray();

        var first = listener.StartRecording(Path.Combine(_folder, "heard-wav.wav"));
        var wavResult = await speaker.PlayWavAsync(wav);
        await Task.Delay(150);
        await first.StopAsync();
        var second = listener.StartRecording(Path.Combine(_folder, "heard-stream.wav"));
        var streamResult = await speaker.PlayStreamAsync(new MemoryStream(pcmBytes));
        await Task.Delay(150);
        await second.StopAsync();

        Assert.True(wavResult.Completed);
        Assert.Equal(TimeSpan.FromSeconds(1), wavResult.Played);
        Assert.Equal(TimeSpan.FromMilliseconds(1100), streamResult.Played);
        Assert.Equal(900, Goertzel.DominantFrequency(Middle(first.Path)));
        Assert.Equal(1300, Goertzel.DominantFrequency(Middle(second.Path)));

        static short[] Middle(string path)
        {
            var samples = WavFile.Read(path).Samples;
            var start = Array.FindIndex(samples, s => Math.Abs((int)s) > 1000);
            Assert.True(start >= 0, $"{path} holds only silence");
            return samples.AsSpan(start + 800, 6400).ToArray();
        }
    }
}
