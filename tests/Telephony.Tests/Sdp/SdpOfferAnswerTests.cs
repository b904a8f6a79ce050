using System.Net;
using Aicc.Telephony.Codecs;
using Aicc.Telephony.Sdp;

namespace Aicc.Telephony.Tests.Sdp;

public sealed class SdpOfferAnswerTests
{
    private static readonly LocalAudio Us = new(IPAddress.Parse("127.0.0.1"), 20000, [AudioCodec.Pcmu, AudioCodec.Pcma]);

    private static SessionDescription Offer(string formats, string attributes, string connection = "192.0.2.10", string proto = "RTP/AVP", string extraMedia = "") =>
        SessionDescription.Parse(
            $"v=0\r\no=peer 7 7 IN IP4 {connection}\r\ns=-\r\nc=IN IP4 {connection}\r\nt=0 0\r\n" +
            $"m=audio 30000 {proto} {formats}\r\n{attributes}{extraMedia}");

    private static SdpAnswerResult.Accepted Accepted(SdpAnswerResult result) => Assert.IsType<SdpAnswerResult.Accepted>(result);

    [Fact]
    public void AnswerPicksOurPreferredCodecAndEchoesTheOfferersTelephoneEventType()
    {
        var offer = Offer("8 0 96", "a=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-15\r\n");

        var result = Accepted(SdpOfferAnswer.Answer(offer, Us, 1, 1));

        Assert.Same(AudioCodec.Pcmu, result.Audio.Codec);
        Assert.Equal(0, result.Audio.CodecPayloadType);
        Assert.Equal(96, result.Audio.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 30000), result.Audio.RemoteRtp);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 30001), result.Audio.RemoteRtcp);
        Assert.Equal(MediaDirection.SendRecv, result.Audio.LocalDirection);
        var answer = SessionDescription.Parse(result.Answer.ToString());
        var media = Assert.Single(answer.Media);
        Assert.Equal(["0", "96"], media.Formats);
        Assert.Equal(20000, media.Port);
        Assert.Equal("0-16", media.FmtpFor(96));
        Assert.Equal(new RtpMap(96, "telephone-event", 8000), media.RtpMapFor(96));
        Assert.Equal("127.0.0.1", answer.Connection!.Address);
        Assert.Equal(MediaDirection.SendRecv, media.Direction(answer));
        Assert.Equal(20, media.Ptime());
        Assert.Equal("20001", media.AttributeValue("rtcp"));
    }

    [Fact]
    public void AnswerFindsCodecsByRtpmapNameEvenOnDynamicTypes()
    {
        var offer = Offer("97", "a=rtpmap:97 pcma/8000\r\n");
        var result = Accepted(SdpOfferAnswer.Answer(offer, Us, 1, 1));
        Assert.Same(AudioCodec.Pcma, result.Audio.Codec);
        Assert.Equal(97, result.Audio.CodecPayloadType);
        Assert.Null(result.Audio.TelephoneEventPayloadType);
        Assert.Equal(["97"], result.Answer.Media[0].Formats);
    }

    [Theory]
    [InlineData("9 18", "a=rtpmap:9 G722/8000\r\na=rtpmap:18 G729/8000\r\n", "RTP/AVP", "no common codec")]
    [InlineData("0", "", "RTP/SAVP", "transport RTP/SAVP")]
    [InlineData("96", "a=rtpmap:96 PCMU/16000\r\n", "RTP/AVP", "no common codec")]
    public void NothingAcceptableIsRejectedForA488(string formats, string attributes, string proto, string why)
    {
        var result = SdpOfferAnswer.Answer(Offer(formats, attributes, proto: proto), Us, 1, 1);
        var rejected = Assert.IsType<SdpAnswerResult.Rejected>(result);
        Assert.StartsWith("no acceptable media", rejected.Reason);
        Assert.Contains(why, rejected.Reason);
        Assert.Equal(488, rejected.SipStatusCode);
    }

    [Fact]
    public void OnlyOurCodecsCount_APcmaOnlyServerRefusesAPcmuOnlyOffer()
    {
        var pcmaOnly = Us with { Codecs = [AudioCodec.Pcma] };
        Assert.IsType<SdpAnswerResult.Rejected>(SdpOfferAnswer.Answer(Offer("0", ""), pcmaOnly, 1, 1));
    }

    [Fact]
    public void EveryOfferedStreamGetsAnAnswerLine_VideoIsRefusedWithPortZero()
    {
        var offer = Offer("0", "", extraMedia: "m=video 30002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\nm=audio 30004 RTP/AVP 8\r\n");
        var result = Accepted(SdpOfferAnswer.Answer(offer, Us, 1, 1));
        var answer = SessionDescription.Parse(result.Answer.ToString());
        Assert.Equal(3, answer.Media.Count);
        Assert.Equal(20000, answer.Media[0].Port);
        Assert.Equal(0, answer.Media[1].Port);
        Assert.Equal("video", answer.Media[1].MediaType);
        Assert.Equal(0, answer.Media[2].Port); // one audio stream is used
        Assert.Equal(30000, result.Audio.RemoteRtp.Port);
    }

    [Theory]
    [InlineData("a=sendonly\r\n", MediaDirection.RecvOnly)]
    [InlineData("a=recvonly\r\n", MediaDirection.SendOnly)]
    [InlineData("a=inactive\r\n", MediaDirection.Inactive)]
    [InlineData("a=sendrecv\r\n", MediaDirection.SendRecv)]
    [InlineData("", MediaDirection.SendRecv)]
    public void AnswerDirectionMirrorsTheOffer(string attribute, MediaDirection expected)
    {
        var result = Accepted(SdpOfferAnswer.Answer(Offer("0", attribute), Us, 1, 1));
        Assert.Equal(expected, result.Audio.LocalDirection);
        Assert.Equal(expected, result.Answer.Media[0].Direction(result.Answer));
    }

    [Fact]
    public void OfferListsOurCodecsInPreferenceOrderWithTelephoneEvent()
    {
        var offer = SessionDescription.Parse(SdpOfferAnswer.CreateOffer(Us with { Codecs = [AudioCodec.Pcma, AudioCodec.Pcmu] }, 42, 1).ToString());
        var media = offer.Media.Single();
        Assert.Equal(["8", "0", "101"], media.Formats);
        Assert.Equal("0-16", media.FmtpFor(101));
        Assert.Equal(42UL, offer.Origin.SessionId);
        Assert.Equal(MediaDirection.SendRecv, media.Direction(offer));
    }

    [Fact]
    public void AnOfferAnsweredByAnotherInstanceNegotiatesTheSameMediaOnBothSides()
    {
        var caller = Us;
        var callee = new LocalAudio(IPAddress.Parse("127.0.0.2"), 40000, [AudioCodec.Pcma, AudioCodec.Pcmu], TelephoneEventPayloadType: 100);
        var offer = SdpOfferAnswer.CreateOffer(caller, 1, 1);

        var answered = Accepted(SdpOfferAnswer.Answer(SessionDescription.Parse(offer.ToString()), callee, 2, 1));
        var read = Accepted(SdpOfferAnswer.ReadAnswer(offer, SessionDescription.Parse(answered.Answer.ToString()), caller));

        Assert.Same(AudioCodec.Pcma, answered.Audio.Codec); // the answerer's preference wins
        Assert.Same(AudioCodec.Pcma, read.Audio.Codec);
        Assert.Equal(101, answered.Audio.TelephoneEventPayloadType); // the offerer's number is kept
        Assert.Equal(101, read.Audio.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 40000), read.Audio.RemoteRtp);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 20000), answered.Audio.RemoteRtp);
    }

    [Fact]
    public void AnAnswerWithACodecWeDidNotOfferIsRefused()
    {
        var offer = SdpOfferAnswer.CreateOffer(Us with { Codecs = [AudioCodec.Pcmu] }, 1, 1);
        var answer = SessionDescription.Parse("v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 40000 RTP/AVP 8\r\n");
        Assert.IsType<SdpAnswerResult.Rejected>(SdpOfferAnswer.ReadAnswer(offer, answer, Us));
    }

    [Fact]
    public void HoldAndResumeReofferWithTheNextVersionAndTheRightDirection()
    {
        var offer = SdpOfferAnswer.CreateOffer(Us, 9, 1);

        var hold = SessionDescription.Parse(SdpOfferAnswer.Hold(offer).ToString());
        Assert.Equal(2UL, hold.Origin.SessionVersion);
        Assert.Equal(9UL, hold.Origin.SessionId);
        Assert.Equal(MediaDirection.SendOnly, hold.Media[0].Direction(hold));
        Assert.Single(hold.Media[0].Attributes, a => MediaDirections.FromAttributeName(a.Name) is not null);

        var resumed = SdpOfferAnswer.Resume(hold);
        Assert.Equal(3UL, resumed.Origin.SessionVersion);
        Assert.Equal(MediaDirection.SendRecv, resumed.Media[0].Direction(resumed));

        // The held party's answer to a hold is recvonly; a later hold from its side goes inactive.
        var heldAnswer = Accepted(SdpOfferAnswer.Answer(hold, Us with { RtpPort = 22000 }, 5, 1)).Answer;
        Assert.Equal(MediaDirection.RecvOnly, heldAnswer.Media[0].Direction(heldAnswer));
        var both = SdpOfferAnswer.Hold(heldAnswer);
        Assert.Equal(MediaDirection.Inactive, both.Media[0].Direction(both));
    }
}
