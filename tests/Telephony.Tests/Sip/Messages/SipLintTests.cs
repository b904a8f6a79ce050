using System.Text.Json;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Tests.Sip.Rfc4475;

namespace Aicc.Telephony.Tests.Sip.Messages;

public sealed class SipLintTests
{
    [Theory]
    [MemberData(nameof(Rfc4475Case.Names), MemberType = typeof(Rfc4475Case))]
    public void GivenTortureFile_WhenLinted_ThenJsonCarriesTheRfcVerdict(string name)
    {
        var expected = Rfc4475Case.Get(name);
        var path = Rfc4475Case.PathOf(name);

        var json = JsonDocument.Parse(SipLintReport.Of(path, File.ReadAllBytes(path)).ToJson()).RootElement;

        Assert.Equal(path, json.GetProperty("file").GetString());
        Assert.Equal(expected.Valid, json.GetProperty("valid").GetBoolean());
        Assert.Equal(expected.ParseError?.ToString(), json.GetProperty("error").GetString());
        var kind = json.GetProperty("kind").GetString();
        Assert.Contains(kind, new[] { "request", "response" });
        if (kind == "response")
        {
            Assert.Equal(expected.ParseError != SipParseErrorReason.InvalidStatusCode, json.GetProperty("status").ValueKind == JsonValueKind.Number);
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(json.GetProperty("method").GetString()));
        }
    }

    [Fact]
    public void ValidRequestReportsMethodAndNoError()
    {
        var path = Rfc4475Case.PathOf("esc02");

        var report = SipLintReport.Of(path, File.ReadAllBytes(path));

        Assert.Equal(new SipLintReport(path, "request", true, "RE%47IST%45R", null, null, null), report);
    }
}
