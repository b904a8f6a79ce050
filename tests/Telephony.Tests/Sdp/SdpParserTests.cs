using Aicc.Telephony.Sdp;

namespace Aicc.Telephony.Tests.Sdp;

public sealed class SdpParserTests
{
    // Shaped like baresip 1.0's offer (its real one also lists opus and G722, which we do not implement).
    internal const string BaresipOffer =
        "v=0\r\n" +
        "o=- 1893498342 2416583127 IN IP4 127.0.0.1\r\n" +
        "s=-\r\n" +
        "c=IN IP4 127.0.0.1\r\n" +
        "t=0 0\r\n" +
        "a=tool:baresip 1.0.0\r\n" +
        "m=audio 10002 RTP/AVP 9 0 8 101\r\n" +
        "b=AS:64\r\n" +
        "a=rtpmap:9 G722/8000\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\n" +
        "a=fmtp:101 0-15\r\n" +
        "a=sendrecv\r\n" +
        "a=label:1\r\n" +
        "a=ssrc:1502238158 cname:6a0dbc7e\r\n" +
        "a=rtcp-rsize\r\n" +
        "a=ptime:20\r\n";

    [Fact]
    public void ParsesEveryPartOfARealOffer()
    {
        var sdp = SessionDescription.Parse(BaresipOffer);

        Assert.Equal("-", sdp.Origin.Username);
        Assert.Equal(1893498342UL, sdp.Origin.SessionId);
        Assert.Equal(2416583127UL, sdp.Origin.SessionVersion);
        Assert.Equal("127.0.0.1", sdp.Connection!.Address);
        Assert.Equal(SdpTiming.Unbounded, sdp.Timing);
        Assert.Equal("tool", sdp.Attributes.Single().Name);
        var audio = Assert.Single(sdp.Media);
        Assert.Equal("audio", audio.MediaType);
        Assert.Equal(10002, audio.Port);
        Assert.Equal(["9", "0", "8", "101"], audio.Formats);
        Assert.Equal(new SdpLine('b', "AS:64"), Assert.Single(audio.OtherLines));
        Assert.Equal(new RtpMap(101, "telephone-event", 8000), audio.RtpMapFor(101));
        Assert.Equal("0-15", audio.FmtpFor(101));
        Assert.Equal(20, audio.Ptime());
        Assert.Equal(MediaDirection.SendRecv, audio.Direction(sdp));
        Assert.Equal("127.0.0.1:10002", audio.RtpEndPoint(sdp)!.ToString());
        Assert.Equal("127.0.0.1:10003", audio.RtcpEndPoint(sdp)!.ToString());
        Assert.True(audio.HasAttribute("rtcp-rsize"));
    }

    [Fact]
    public void SerializingAndParsingAgainKeepsTheDescription()
    {
        var sdp = SessionDescription.Parse(BaresipOffer);
        var text = sdp.ToString();
        Assert.Equal(BaresipOffer, text);
        var again = SessionDescription.Parse(text);
        Assert.Equal(text, again.ToString());
    }

    [Fact]
    public void AcceptsBareLineFeedsAndMediaLevelConnections()
    {
        var text = "v=0\no=alice 1 1 IN IP4 10.0.0.1\ns=call\nt=0 0\nm=audio 4000 RTP/AVP 0\nc=IN IP4 10.0.0.2\na=rtcp:4005 IN IP4 10.0.0.3\na=recvonly\n";
        var sdp = SessionDescription.Parse(text);
        var audio = sdp.Media[0];
        Assert.Null(sdp.Connection);
        Assert.Equal("10.0.0.2:4000", audio.RtpEndPoint(sdp)!.ToString());
        Assert.Equal("10.0.0.3:4005", audio.RtcpEndPoint(sdp)!.ToString());
        Assert.Equal(MediaDirection.RecvOnly, audio.Direction(sdp));
        Assert.Equal(new RtpMap(0, "PCMU", 8000), audio.RtpMapFor(0)); // static type without rtpmap
    }

    [Fact]
    public void SessionLevelDirectionAppliesWhenTheMediaHasNone_AndZeroAddressMeansNotReceiving()
    {
        var sdp = SessionDescription.Parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=sendonly\r\nm=audio 4000 RTP/AVP 8\r\n");
        Assert.Equal(MediaDirection.SendOnly, sdp.Media[0].Direction(sdp));
        var old = SessionDescription.Parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n");
        Assert.Equal(MediaDirection.SendOnly, old.Media[0].Direction(old));
    }

    [Theory]
    [InlineData("", SdpError.Empty)]
    [InlineData("o=- 1 1 IN IP4 1.2.3.4\r\n", SdpError.MissingVersion)]
    [InlineData("v=1\r\n", SdpError.UnsupportedVersion)]
    [InlineData("v=0\r\ns=-\r\nt=0 0\r\n", SdpError.MissingOrigin)]
    [InlineData("v=0\r\no=- x 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n", SdpError.InvalidOrigin)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nt=0 0\r\n", SdpError.MissingSessionName)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\n", SdpError.MissingTiming)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=now\r\n", SdpError.InvalidTiming)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IPX 1.2.3.4\r\nt=0 0\r\n", SdpError.InvalidConnection)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4 extra\r\nt=0 0\r\n", SdpError.InvalidConnection)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n", SdpError.MissingConnection)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 70000 RTP/AVP 0\r\n", SdpError.InvalidPort)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio -1 RTP/AVP 0\r\n", SdpError.InvalidPort)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP\r\n", SdpError.InvalidMedia)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 300\r\n", SdpError.InvalidMedia)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\na=:x\r\n", SdpError.InvalidAttribute)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nnonsense\r\n", SdpError.MalformedLine)]
    [InlineData("v=0\r\nv=0\r\n", SdpError.MalformedLine)]
    public void MalformedDescriptionsAreTypedErrors(string text, SdpError expected)
    {
        var error = Assert.Throws<SdpParseException>(() => SessionDescription.Parse(text));
        Assert.Equal(expected, error.Error);
        Assert.False(SdpParser.TryParse(text, out var description, out var tried));
        Assert.Null(description);
        Assert.Equal(expected, tried!.Error);
    }

    [Fact]
    public void RandomMutationsOfARealOfferNeverEscapeAsAnythingButATypedError()
    {
        var random = new Random(4566);
        var original = BaresipOffer.ToCharArray();
        for (var round = 0; round < 5000; round++)
        {
            var text = (char[])original.Clone();
            var edits = random.Next(1, 6);
            for (var e = 0; e < edits; e++)
            {
                text[random.Next(text.Length)] = (char)random.Next(0, 128);
            }
            var cut = random.Next(2) == 0 ? text.Length : random.Next(text.Length);
            var mutated = new string(text, 0, cut);
            try
            {
                var sdp = SessionDescription.Parse(mutated);
                _ = sdp.ToString();
                foreach (var media in sdp.Media)
                {
                    _ = media.RtpEndPoint(sdp);
                    _ = media.RtcpEndPoint(sdp);
                    _ = media.PayloadTypes().Select(media.RtpMapFor).ToList();
                    _ = media.Ptime();
                }
            }
            catch (SdpParseException)
            {
            }
        }
    }
}
