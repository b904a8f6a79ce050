using System.Security.Cryptography;
using Aicc.Handlers.Security;

namespace Aicc.Handlers.Tests.Security;

public sealed class SecretBoxTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"aicc-secretbox-{Guid.NewGuid():N}");

    private string KeyFile => Path.Combine(_folder, "keys", "secret.key");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void GivenNoKeyFile_WhenLoaded_ThenOneIsCreatedOwnerOnly_AndALaterLoadOpensWhatTheFirstSealed()
    {
        var first = SecretBox.LoadOrCreate(KeyFile);
        var sealedValue = first.Seal("trunk-pass-1", "line/a");

        Assert.True(File.Exists(KeyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        }

        Assert.Equal("trunk-pass-1", SecretBox.LoadOrCreate(KeyFile).Open(sealedValue, "line/a"));
        Assert.DoesNotContain("trunk-pass-1", sealedValue, StringComparison.Ordinal);
        Assert.StartsWith("aesgcm1:", sealedValue, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenASealedValue_WhenOpenedForAnotherContextOrAltered_ThenRefused()
    {
        var box = new SecretBox([RandomNumberGenerator.GetBytes(32)]);
        var sealedValue = box.Seal("pa55", "tenant-1/line-1");
        var bytes = Convert.FromBase64String(sealedValue.Split(':')[2]);
        bytes[^1] ^= 0x01;
        var altered = string.Join(':', sealedValue.Split(':')[..2]) + ":" + Convert.ToBase64String(bytes);

        Assert.ThrowsAny<CryptographicException>(() => box.Open(sealedValue, "tenant-2/line-1"));
        Assert.ThrowsAny<CryptographicException>(() => box.Open(altered, "tenant-1/line-1"));
        Assert.ThrowsAny<CryptographicException>(() => box.Open("plain text", "tenant-1/line-1"));
        Assert.NotEqual(sealedValue, box.Seal("pa55", "tenant-1/line-1"));
    }

    [Fact]
    public void GivenARotatedKeyFile_WhenOpening_ThenOldValuesStillOpen_AndNewOnesUseTheNewKey()
    {
        var oldKey = RandomNumberGenerator.GetBytes(32);
        var newKey = RandomNumberGenerator.GetBytes(32);
        var sealedWithOld = new SecretBox([oldKey]).Seal("old secret", "c");

        var rotated = new SecretBox([newKey, oldKey]);
        var sealedWithNew = rotated.Seal("new secret", "c");

        Assert.Equal("old secret", rotated.Open(sealedWithOld, "c"));
        Assert.Equal("new secret", new SecretBox([newKey]).Open(sealedWithNew, "c"));
        Assert.ThrowsAny<CryptographicException>(() => new SecretBox([oldKey]).Open(sealedWithNew, "c"));
    }
}
