using System.Net;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Codecs;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sdp;

namespace Aicc.Telephony.Tests.Media;

public sealed class CallMediaTests : IAsyncLifetime
{
    private readonly MediaClock _clock = new();
    private CallMedia _caller = null!;
    private CallMedia _callee = null!;

    public Task InitializeAsync()
    {
        _caller = CallMedia.Create(IPAddress.Loopback, _clock, [AudioCodec.Pcmu, AudioCodec.Pcma]);
        _callee = CallMedia.Create(IPAddress.Loopback, _clock, [AudioCodec.Pcma]);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _caller.DisposeAsync();
        await _callee.DisposeAsync();
        _clock.Dispose();
    }

    private void Connect()
    {
        var answer = Assert.IsType<SdpOutcome.Accepted>(_callee.AcceptOffer(_caller.CreateOffer()));
        Assert.IsType<SdpOutcome.Accepted>(_caller.AcceptAnswer(answer.AnswerSdp!));
    }

    [Fact]
    public async Task SdpBodiesAloneSetUpAudioBothWays()
    {
        Connect();
        Assert.Same(AudioCodec.Pcma, _caller.Negotiated!.Codec);
        Assert.Same(AudioCodec.Pcma, _callee.Negotiated!.Codec);

        var drained = new List<short>();
        var play = _caller.Leg.PlayAsync(ToneGenerator.Generate(750, TimeSpan.FromSeconds(1.2)));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        try
        {
            await foreach (var frame in _callee.Leg.Inbound.ReadAllAsync(stop.Token))
            {
                if (frame.Kind == FrameKind.Audio)
                {
                    drained.AddRange(frame.ReadOnlyPcm.ToArray());
                }
                frame.Dispose();
            }
        }
        catch (OperationCanceledException)
        {
        }
        await play;
        var voiced = drained.Chunk(160).Where(f => f.Max(s => Math.Abs((int)s)) > 1000).SelectMany(f => f).ToArray();
        Assert.True(voiced.Length >= 4000, $"{voiced.Length} voiced samples");
        Assert.Equal(750, Goertzel.DominantFrequency(voiced));
    }

    [Fact]
    public async Task HoldStopsTheHeldPartySendingAndResumeRestoresIt()
    {
        Connect();
        var firstOffer = SessionDescription.Parse(_caller.CreateOffer());
        Assert.IsType<SdpOutcome.Accepted>(_caller.AcceptAnswer(Assert.IsType<SdpOutcome.Accepted>(_callee.AcceptOffer(firstOffer.ToString())).AnswerSdp!));
        Assert.Equal(1UL, firstOffer.Origin.SessionVersion); // an unchanged re-offer keeps the version

        var hold = SessionDescription.Parse(_caller.Hold());
        Assert.Equal(2UL, hold.Origin.SessionVersion);
        var heldAnswer = Assert.IsType<SdpOutcome.Accepted>(_callee.AcceptOffer(hold.ToString()));
        Assert.Equal(MediaDirection.RecvOnly, heldAnswer.Audio.LocalDirection);
        Assert.Equal(MediaDirection.SendOnly, Assert.IsType<SdpOutcome.Accepted>(_caller.AcceptAnswer(heldAnswer.AnswerSdp!)).Audio.LocalDirection);
        await Task.Delay(100);
        var calleeSent = _callee.Leg.Session.Statistics.PacketsSent;
        var callerSent = _caller.Leg.Session.Statistics.PacketsSent;
        await Task.Delay(300);
        Assert.Equal(calleeSent, _callee.Leg.Session.Statistics.PacketsSent);
        Assert.True(_caller.Leg.Session.Statistics.PacketsSent > callerSent);

        var resume = SessionDescription.Parse(_caller.Resume());
        Assert.Equal(3UL, resume.Origin.SessionVersion);
        var resumed = Assert.IsType<SdpOutcome.Accepted>(_callee.AcceptOffer(resume.ToString()));
        Assert.Equal(MediaDirection.SendRecv, resumed.Audio.LocalDirection);
        _caller.AcceptAnswer(resumed.AnswerSdp!);
        await Task.Delay(200);
        Assert.True(_callee.Leg.Session.Statistics.PacketsSent > calleeSent);
    }

    [Fact]
    public void BadBodiesNameTheSipResponse()
    {
        var malformed = Assert.IsType<SdpOutcome.Malformed>(_callee.AcceptOffer("v=0\r\no=broken\r\n"));
        Assert.Equal(SdpError.InvalidOrigin, malformed.Error);
        Assert.Equal(400, malformed.SipStatusCode);

        var pcmuOnly = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        var refused = Assert.IsType<SdpOutcome.NotAcceptable>(_callee.AcceptOffer(pcmuOnly));
        Assert.Equal(488, refused.SipStatusCode);
        Assert.Contains("no acceptable media", refused.Reason);
        Assert.Null(_callee.Negotiated);

        Assert.IsType<SdpOutcome.NotAcceptable>(_caller.AcceptAnswer(pcmuOnly)); // no offer outstanding
    }
}
