using System.Text;
using Aicc.Telephony.Sip.Messages;

namespace Aicc.Telephony.Tests.Sip.Messages;

public sealed class SipMessageParserTests
{
    private static SipParseResult Parse(string text, SipFraming framing = SipFraming.Datagram) =>
        SipMessageParser.Parse(Encoding.UTF8.GetBytes(text), framing);

    private const string Options =
        "OPTIONS sip:bob@example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK776;rport\r\n" +
        "f: <sip:alice@example.com>;tag=1\r\n" +
        "t: Bob <sip:bob@example.com>\r\n" +
        "i: abc@192.0.2.1\r\n" +
        "CSeq: 1 OPTIONS\r\n" +
        "Max-Forwards: 70\r\n" +
        "l: 0\r\n\r\n";

    [Fact]
    public void CompactAndLongFormsAnswerTheSameLookup()
    {
        var request = Parse(Options).Message!;

        Assert.Equal("abc@192.0.2.1", request.CallId);
        Assert.Equal("abc@192.0.2.1", request.GetHeader("call-id"));
        Assert.Equal("Bob", request.To!.DisplayName);
        Assert.Equal(0, request.ContentLength);
        Assert.Equal(5062, request.TopVia!.Port);
        Assert.True(request.TopVia.HasRport);
    }

    [Fact]
    public void GivenViaStamped_WhenSerialized_ThenReceivedAndRportAppear()
    {
        var via = Parse(Options).Message!.TopVia!.WithParameter("received", "203.0.113.9").WithParameter("rport", "40000");

        Assert.Equal("SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK776;rport=40000;received=203.0.113.9", via.ToString());
        Assert.Equal(40000, via.Rport);
    }

    [Fact]
    public void LineFeedOnlyLineEndingsAreTolerated()
    {
        var result = Parse(Options.Replace("\r\n", "\n"));

        Assert.True(result.IsSuccess, result.Error?.ToString());
    }

    [Fact]
    public void CommaSeparatedAndRepeatedViasAreOneList()
    {
        var text = Options.Replace("Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK776;rport\r\n",
            "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bK2\r\nv: SIP/2.0/UDP c.example.com;branch=z9hG4bK3\r\n");

        var vias = Parse(text).Message!.Vias;

        Assert.Equal(["a.example.com", "[2001:db8::1]", "c.example.com"], vias.Select(v => v.Host));
        Assert.Equal(5070, vias[1].Port);
    }

    [Fact]
    public void TelUriAndSipsUriAreTyped()
    {
        var tel = Parse(Options.Replace("OPTIONS sip:bob@example.com", "OPTIONS tel:+1-201-555-0123;phone-context=example.com")).Message as SipRequest;
        var sips = Parse(Options.Replace("OPTIONS sip:bob@example.com", "OPTIONS sips:bob:secret@example.com:5061;transport=tcp")).Message as SipRequest;

        Assert.Equal("+1-201-555-0123", Assert.IsType<TelUri>(tel!.RequestUri).Number);
        var uri = Assert.IsType<SipUri>(sips!.RequestUri);
        Assert.True(uri.IsSecure);
        Assert.Equal("secret", uri.Password);
        Assert.Equal(5061, uri.Port);
        Assert.Equal("tcp", uri.Transport);
    }

    [Theory]
    [InlineData("", SipParseErrorReason.Empty)]
    [InlineData("\r\n\r\n", SipParseErrorReason.Empty)]
    [InlineData("OPTIONS sip:bob@example.com SIP/2.0\r\nVia SIP/2.0/UDP x\r\n\r\n", SipParseErrorReason.InvalidHeaderLine)]
    [InlineData(" OPTIONS sip:bob@example.com SIP/2.0\r\n\r\n", SipParseErrorReason.InvalidStartLine)]
    [InlineData("OPTIONS sip:bob@exa_mple.com SIP/2.0\r\n\r\n", SipParseErrorReason.InvalidRequestUri)]
    [InlineData("OPTIONS sip:bob@example.com:99999 SIP/2.0\r\n\r\n", SipParseErrorReason.InvalidRequestUri)]
    [InlineData("SIP/2.0 20 OK\r\n\r\n", SipParseErrorReason.InvalidStatusCode)]
    [InlineData("SIP/2.0 700 Too high\r\n\r\n", SipParseErrorReason.InvalidStatusCode)]
    [InlineData("SIP/3.0 200 OK\r\n\r\n", SipParseErrorReason.UnsupportedVersion)]
    [InlineData("OPTIONS sip:b@example.com SIP/2.0\r\nCSeq: 2147483648 OPTIONS\r\n\r\n", SipParseErrorReason.InvalidHeaderValue)]
    [InlineData("OPTIONS sip:b@example.com SIP/2.0\r\nTo: \"unterminated <sip:b@example.com>\r\n\r\n", SipParseErrorReason.InvalidHeaderValue)]
    public void MalformedInputIsATypedError(string text, SipParseErrorReason reason)
    {
        var result = Parse(text);

        Assert.False(result.IsSuccess);
        Assert.Equal(reason, result.Error!.Reason);
    }

    [Fact]
    public void GivenMalformedRequest_ThenKindMethodAndRawHeadersAreStillReported()
    {
        var result = Parse(Options.Replace("CSeq: 1 OPTIONS", "CSeq: x OPTIONS"));

        Assert.Equal(SipMessageKind.Request, result.Kind);
        Assert.Equal("OPTIONS", result.Method);
        Assert.Contains(result.RawHeaders, h => h.Is(SipHeaderNames.Via));
    }

    [Fact]
    public void BuiltResponseCopiesTheRequestHeadersAndAddsTheToTag()
    {
        var request = (SipRequest)Parse(Options).Message!;

        var response = SipResponse.For(request, 200, toTag: "xyz");
        var reparsed = (SipResponse)SipMessageParser.Parse(response.ToBytes()).Message!;

        Assert.Equal(200, reparsed.StatusCode);
        Assert.Equal("OK", reparsed.ReasonPhrase);
        Assert.Equal("xyz", reparsed.To!.Tag);
        Assert.Equal("1", reparsed.From!.Tag);
        Assert.Equal(request.CallId, reparsed.CallId);
        Assert.Equal("z9hG4bK776", reparsed.TopVia!.Branch);
        Assert.Equal(0, reparsed.ContentLength);
    }

    [Fact]
    public void StreamFramer_SplitsJoinedMessagesAndWaitsForPartialOnes()
    {
        var body = "v=0\r\n";
        var withBody = Options.Replace("l: 0", "l: " + body.Length) + body;
        var stream = Encoding.UTF8.GetBytes("\r\n\r\n" + Options + withBody + Options);
        var framer = new SipStreamFramer();
        var messages = new List<SipMessage>();

        // Feed in awkward chunk sizes so messages straddle reads.
        for (var i = 0; i < stream.Length; i += 7)
        {
            framer.Append(stream.AsSpan(i, Math.Min(7, stream.Length - i)));
            while (framer.TryRead() is { } result)
            {
                Assert.True(result.IsSuccess, result.Error?.ToString());
                messages.Add(result.Message!);
            }
        }

        Assert.Equal(3, messages.Count);
        Assert.Equal(body, Encoding.UTF8.GetString(messages[1].Body.Span));
        Assert.Equal(0, framer.Buffered);
        Assert.Equal(1, framer.TakeKeepAlives());
    }

    [Fact]
    public void StreamFramer_ReportsAnErrorForAnUnframeableMessage()
    {
        var framer = new SipStreamFramer();
        framer.Append(Encoding.UTF8.GetBytes(Options.Replace("l: 0", "l: -1")));

        var result = framer.TryRead();

        Assert.NotNull(result);
        Assert.Equal(SipParseErrorReason.InvalidHeaderValue, result.Error!.Reason);
    }
}
