using Aicc.Telephony.Sip.Authentication;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Tests.Sip;

namespace Aicc.Telephony.Tests.Sip.Authentication;

public sealed class DigestTests
{
    [Fact]
    public void GivenRfc2617sExample_ThenTheMd5ResponseMatches()
    {
        var ha1 = Digest.Ha1(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
        var response = Digest.Response(DigestAlgorithm.Md5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "GET", "/dir/index.html", "auth", "00000001", "0a4f113b");
        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData(DigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void GivenRfc7616sExamples_ThenTheResponsesMatch(DigestAlgorithm algorithm, string expected)
    {
        var ha1 = Digest.Ha1(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life");
        var response = Digest.Response(algorithm, ha1, "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "GET", "/dir/index.html", "auth", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
        Assert.Equal(expected, response);
    }

    [Fact]
    public void GivenAChallengeWithQuotedCommasAndEscapes_ThenEveryParameterIsRead()
    {
        var header = DigestHeader.TryParse("Digest realm=\"a,b \\\"c\\\"\", nonce=\"n1\",algorithm=SHA-256 , qop=\"auth,auth-int\", stale=TRUE");
        Assert.NotNull(header);
        Assert.Equal("a,b \"c\"", header["realm"]);
        Assert.Equal("n1", header["nonce"]);
        Assert.Equal("SHA-256", header["ALGORITHM"]);
        Assert.Equal("auth,auth-int", header["qop"]);
        Assert.Equal("TRUE", header["stale"]);
    }

    [Theory]
    [InlineData("Basic realm=\"x\"")]
    [InlineData("Digest realm=\"unterminated")]
    [InlineData("Digestrealm=x")]
    public void GivenSomethingThatIsNotADigestHeader_ThenNull(string value) => Assert.Null(DigestHeader.TryParse(value));

    [Theory]
    [InlineData(DigestAlgorithm.Md5)]
    [InlineData(DigestAlgorithm.Sha256)]
    public async Task GivenOurClientsAnswerToOurChallenge_ThenTheAuthenticatorAcceptsItAndRejectsATamperedOne(DigestAlgorithm algorithm)
    {
        var time = new ManualTimeProvider();
        var store = new InMemorySipCredentialStore();
        store.Add(SipStoredCredential.FromPassword("bob", "tenant-a.example", "pw"));
        var authenticator = new DigestAuthenticator(store, time, [algorithm]);
        var first = Register(null);

        var challenge = Assert.IsType<DigestVerdict.Refused>(await authenticator.CheckAsync(first, "t"));
        Assert.Equal(401, challenge.Response.StatusCode);
        var challenges = challenge.Response.GetHeaders(SipHeaderNames.WwwAuthenticate).ToList();
        var answer = DigestClient.Answer(challenges, new SipCredentials("bob", "pw"), "REGISTER", "sip:tenant-a.example");
        Assert.NotNull(answer);

        var ok = Assert.IsType<DigestVerdict.Authenticated>(await authenticator.CheckAsync(Register(answer), "t"));
        Assert.Equal(("bob", "tenant-a.example"), (ok.User, ok.Realm));
        var wrong = DigestClient.Answer(challenges, new SipCredentials("bob", "other"), "REGISTER", "sip:tenant-a.example");
        Assert.IsType<DigestVerdict.Refused>(await authenticator.CheckAsync(Register(wrong), "t"));

        // Past the nonce lifetime the right answer is refused as stale, so the phone retries silently.
        time.Advance(DigestAuthenticator.NonceLifetime + TimeSpan.FromSeconds(1));
        var stale = Assert.IsType<DigestVerdict.Refused>(await authenticator.CheckAsync(Register(answer), "t"));
        Assert.Contains("stale=true", stale.Response.GetHeader(SipHeaderNames.WwwAuthenticate));
    }

    [Fact]
    public async Task GivenAnotherTenantsRealm_ThenTheSameUserAndPasswordDoNotAuthenticate()
    {
        var store = new InMemorySipCredentialStore();
        store.Add(SipStoredCredential.FromPassword("bob", "tenant-b.example", "pw"));
        var authenticator = new DigestAuthenticator(store, TimeProvider.System);
        var challenge = (DigestVerdict.Refused)await authenticator.CheckAsync(Register(null), "t");
        var answer = DigestClient.Answer(challenge.Response.GetHeaders(SipHeaderNames.WwwAuthenticate), new SipCredentials("bob", "pw"), "REGISTER", "sip:tenant-a.example");

        Assert.IsType<DigestVerdict.Refused>(await authenticator.CheckAsync(Register(answer), "t"));
    }

    private static SipRequest Register(string? authorization)
    {
        var headers = new List<SipHeader>
        {
            new(SipHeaderNames.Via, "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKx1"),
            new(SipHeaderNames.From, "<sip:bob@tenant-a.example>;tag=f1"),
            new(SipHeaderNames.To, "<sip:bob@tenant-a.example>"),
            new(SipHeaderNames.CallId, "c1"),
            new(SipHeaderNames.CSeq, "1 REGISTER"),
            new(SipHeaderNames.Contact, "<sip:bob@127.0.0.1:5070>"),
        };
        if (authorization is not null)
        {
            headers.Add(new SipHeader(SipHeaderNames.Authorization, authorization));
        }

        return SipRequest.Create("REGISTER", SipAnyUri.TryParse("sip:tenant-a.example")!, headers);
    }
}
