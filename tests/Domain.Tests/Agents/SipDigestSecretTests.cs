using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public sealed class SipDigestSecretTests
{
    [Fact]
    public void GivenSecret_WhenWrittenAndParsed_ThenRealmAndBothHashesSurvive()
    {
        var secret = new SipDigestSecret("t1.agents.example", "0f1e", "a9b8");

        Assert.Equal(secret, SipDigestSecret.TryParse(secret.ToString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ha1")]
    [InlineData("digest:realm:md5")]
    [InlineData("digest::md5:sha")]
    [InlineData("digest:realm:md5:sha:extra")]
    public void GivenAnotherHashForm_WhenParsed_ThenItIsNotASecret(string? text) =>
        Assert.Null(SipDigestSecret.TryParse(text));
}
