using Aicc.Handlers.Security;

namespace Aicc.Handlers.Tests.Security;

public sealed class SecretsTests
{
    [Fact]
    public void GivenHashedPassword_WhenSamePasswordIsChecked_ThenItMatches()
    {
        var hash = Secrets.HashPassword("s3cret-pass");

        Assert.True(Secrets.VerifyPassword("s3cret-pass", hash));
        Assert.False(Secrets.VerifyPassword("s3cret-pasS", hash));
    }

    [Fact]
    public void WhenSamePasswordIsHashedTwice_ThenSaltsDiffer()
    {
        Assert.NotEqual(Secrets.HashPassword("same"), Secrets.HashPassword("same"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("md5$1$abc$def")]
    [InlineData("pbkdf2-sha256$x$abc$def")]
    [InlineData("pbkdf2-sha256$10$not base64!$def")]
    public void GivenMalformedStoredHash_WhenChecked_ThenRejectedWithoutThrowing(string stored)
    {
        Assert.False(Secrets.VerifyPassword("anything", stored));
    }

    [Fact]
    public void WhenApiKeyIsIssued_ThenItsHashIsStableAndDoesNotRevealTheKey()
    {
        var (key, hash) = Secrets.NewApiKey();

        Assert.StartsWith("aicc_", key);
        Assert.Equal(hash, Secrets.HashApiKey(key));
        Assert.DoesNotContain(key[5..], hash);
        Assert.NotEqual(key, Secrets.NewApiKey().Key);
    }
}
