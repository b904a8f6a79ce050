using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Tests.Sip.Rfc4475;

namespace Aicc.Telephony.Tests.Sip.Messages;

public sealed class Rfc4475ParsingTests
{
    [Fact]
    public void EveryTortureMessageIsCoveredOnce()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(Rfc4475Case.PathOf("x"))!, "*.dat").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        Assert.Equal(49, files.Length);
        Assert.Equal(files, Rfc4475Case.All.Select(c => c.Name).Order().ToArray());
    }

    [Theory]
    [MemberData(nameof(Rfc4475Case.Names), MemberType = typeof(Rfc4475Case))]
    public void GivenTortureMessage_WhenParsed_ThenVerdictMatchesTheRfc(string name)
    {
        var expected = Rfc4475Case.Get(name);

        var result = SipMessageParser.Parse(expected.Bytes());

        Assert.Equal(expected.Valid, result.IsSuccess);
        Assert.Equal(expected.ParseError, result.Error?.Reason);
        Assert.NotEqual(SipMessageKind.Unknown, result.Kind);
    }

    [Theory]
    [MemberData(nameof(Rfc4475Case.Names), MemberType = typeof(Rfc4475Case))]
    public void GivenValidTortureMessage_WhenSerializedAndReparsed_ThenItIsTheSameMessage(string name)
    {
        var expected = Rfc4475Case.Get(name);
        if (!expected.Valid)
        {
            return;
        }

        var first = SipMessageParser.Parse(expected.Bytes()).Message!;
        var second = SipMessageParser.Parse(first.ToBytes()).Message!;

        Assert.Equal(first.ToString(), second.ToString());
        Assert.Equal(first.Headers.Select(h => (h.Name, h.Value)), second.Headers.Select(h => (h.Name, h.Value)));
        Assert.Equal(first.Body.ToArray(), second.Body.ToArray());
    }

    private static SipRequest Request(string name) => Assert.IsType<SipRequest>(SipMessageParser.Parse(Rfc4475Case.Get(name).Bytes()).Message);

    [Fact]
    public void Wsinv_FoldedWhitespaceEverywhere_IsReadIntoTheRightFields()
    {
        var request = Request("wsinv");

        Assert.Equal("INVITE", request.Method);
        Assert.Equal("1918181833n", request.To!.Tag);
        Assert.Equal("J Rosenberg \\\"", request.From!.DisplayName);
        Assert.Equal("98asjd8", request.From.Tag);
        Assert.Equal(68, request.MaxForwards);
        Assert.Equal(new SipCSeq(9, "INVITE"), request.CSeq);
        Assert.Equal(3, request.Vias.Count);
        Assert.Equal(["390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"], request.Vias.Select(v => v.Branch));
        Assert.Equal(["UDP", "TCP", "UDP"], request.Vias.Select(v => v.Transport));
        Assert.Equal("192.168.255.111", request.Vias[2].Host);
        Assert.Equal("newfangled value continued newfangled value", request.GetHeader("NewFangledHeader"));
        Assert.Equal(";;,,;;,;", request.GetHeader("UnknownHeaderWithUnusualValue"));
        Assert.Equal(string.Empty, request.GetHeader("Subject"));
        var contact = Assert.Single(request.Contacts);
        Assert.Equal("Quoted string \"\"", contact.DisplayName);
        Assert.Equal("newvalue", contact.Parameters.ValueOf("newparam"));
        Assert.True(contact.Parameters.Has("secondparam"));
        Assert.Equal("0.33", contact.Parameters.ValueOf("q"));
        Assert.Equal(150, request.Body.Length);
        var route = Assert.Single(request.Routes);
        Assert.True(((SipUri)route.Uri).Parameters.Has("lr"));
    }

    [Fact]
    public void Intmeth_UnusualTokensAndQuotedControlCharacters_AreAccepted()
    {
        var request = Request("intmeth");

        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", request.Method);
        var uri = Assert.IsType<SipUri>(request.RequestUri);
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", uri.User);
        Assert.Equal("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", uri.Password);
        Assert.Equal("BEL:\a NUL:\0 DEL:\x7F", request.To!.DisplayName);
        Assert.Equal("token1~` token2'+_ token3*%!.-", request.From!.DisplayName);
        Assert.Equal("_token~1'+`*%!-.", request.From.Tag);
        Assert.Equal("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", request.CallId);
        Assert.Equal("\uFEFF\u5927\u505C\u96FB", request.GetHeader("extensionHeader-!.%*+_`'~"));
    }

    [Fact]
    public void Esc02_EscapedHeaderNameIsAnUnknownHeaderNotAContact()
    {
        var request = Request("esc02");

        Assert.Equal("RE%47IST%45R", request.Method);
        Assert.Equal(2, request.Contacts.Count);
        Assert.Equal("<sip:alias2@host2.example.com>", request.GetHeader("C%6Fntact"));
        Assert.Equal("%Z%45", request.To!.DisplayName);
    }

    [Fact]
    public void Esc01_EscapedUriPartsStayEscapedAndDecodeOnRequest()
    {
        var request = Request("esc01");

        var uri = Assert.IsType<SipUri>(request.RequestUri);
        Assert.Equal("sips%3Auser%40example.com", uri.User);
        Assert.Equal("sips:user@example.com", SipUri.Unescape(uri.User!));
        var contact = Assert.IsType<SipUri>(Assert.Single(request.Contacts).Uri);
        Assert.Equal("v%61lue%25%34%31", contact.Parameters.ValueOf("n%61me"));
        Assert.Equal("application/sdp", request.ContentType!.Essence);
    }

    [Fact]
    public void Longreq_ManyViaSpellingsAreAllVias()
    {
        var request = Request("longreq");

        Assert.Equal(34, request.Vias.Count);
        Assert.Equal("192.0.2.5", request.Vias[^1].Received);
        Assert.Equal(150, request.Body.Length);
    }

    [Fact]
    public void Dblreq_OnlyTheFirstRequestOfTheDatagramCounts()
    {
        var request = Request("dblreq");

        Assert.Equal("REGISTER", request.Method);
        Assert.Equal(0, request.Body.Length);
        Assert.Equal("dblreq.0ha0isndaksdj99sdfafnl3lk233412", request.CallId);
    }

    [Fact]
    public void Semiuri_SemicolonInUserPartIsUserNotParameter()
    {
        var uri = Assert.IsType<SipUri>(Request("semiuri").RequestUri);

        Assert.Equal("user;par=u%40example.net", uri.User);
        Assert.Equal("example.com", uri.Host);
        Assert.Empty(uri.Parameters);
    }

    [Fact]
    public void Cparam_ParameterOutsideOrInsideBracketsBelongsToContactOrUri()
    {
        var outside = Assert.Single(Request("cparam01").Contacts);
        var inside = Assert.Single(Request("cparam02").Contacts);

        Assert.True(outside.Parameters.Has("unknownparam"));
        Assert.Empty(((SipUri)outside.Uri).Parameters);
        Assert.Empty(inside.Parameters);
        Assert.True(((SipUri)inside.Uri).Parameters.Has("unknownparam"));
    }

    [Fact]
    public void Unksm2_UnknownSchemesInAddressesAreKept()
    {
        var request = Request("unksm2");

        Assert.Equal("isbn", Assert.IsType<OtherUri>(request.To!.Uri).Scheme);
        Assert.Equal("http", request.From!.Uri.Scheme);
        Assert.Equal("name:John_Smith", Assert.Single(request.Contacts).Uri.Text);
    }

    [Fact]
    public void Regescrt_EscapedHeaderInBracketedContactUri()
    {
        var uri = Assert.IsType<SipUri>(Assert.Single(Request("regescrt").Contacts).Uri);

        Assert.Equal(new SipParameter("Route", "%3Csip:sip.example.com%3E"), Assert.Single(uri.Headers));
    }

    [Fact]
    public void Mpart01_BinaryBodyIsKeptByteForByte()
    {
        var bytes = Rfc4475Case.Get("mpart01").Bytes();
        var request = Request("mpart01");

        Assert.Equal(553, request.Body.Length);
        Assert.Equal(bytes[^553..], request.Body.ToArray());
        Assert.True(request.Vias[0].HasRport);
        Assert.Null(request.Vias[0].Rport);
    }

    [Fact]
    public void Responses_EmptyAndUtf8ReasonPhrases()
    {
        var noReason = Assert.IsType<SipResponse>(SipMessageParser.Parse(Rfc4475Case.Get("noreason").Bytes()).Message);
        var unreason = Assert.IsType<SipResponse>(SipMessageParser.Parse(Rfc4475Case.Get("unreason").Bytes()).Message);

        Assert.Equal(100, noReason.StatusCode);
        Assert.Equal(string.Empty, noReason.ReasonPhrase);
        Assert.Equal(200, unreason.StatusCode);
        Assert.StartsWith("= 2**3 * 5**2 ", unreason.ReasonPhrase);
    }

    [Fact]
    public void Transports_UnknownTransportTokensAreKept()
    {
        Assert.Equal(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"], Request("transports").Vias.Select(v => v.Transport));
    }

    [Fact]
    public void Inv2543_NoBranchNoMaxForwardsNoContentLength()
    {
        var request = Request("inv2543");

        Assert.Null(request.TopVia!.Branch);
        Assert.Null(request.MaxForwards);
        Assert.Null(request.ContentLength);
        Assert.True(request.Body.Length > 0);
    }
}
