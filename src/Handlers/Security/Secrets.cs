using System.Security.Cryptography;
using System.Text;

namespace Aicc.Handlers.Security;

/// <summary>
/// Hashing of the secrets people and integrations present: passwords get a slow, salted
/// PBKDF2 hash (guessable secrets); API keys are long random strings, so a fast SHA-256
/// digest suffices and lets the key be looked up by its hash on every request.
/// Lives at the edge because generating keys needs randomness the domain must not read.
/// </summary>
public static class Secrets
{
    private const string PasswordScheme = "pbkdf2-sha256";
    private const int PasswordIterations = 210_000; // OWASP 2023 guidance for PBKDF2-HMAC-SHA256
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const string ApiKeyPrefix = "aicc_";

    /// <summary>Returns <c>pbkdf2-sha256$iterations$salt$hash</c> (base64 parts).</summary>
    public static string HashPassword(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, PasswordIterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{PasswordScheme}${PasswordIterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Constant-time check of a password against a stored hash; false for any malformed hash.</summary>
    public static bool VerifyPassword(string password, string storedHash)
    {
        var parts = storedHash.Split('$');
        if (parts.Length != 4 || parts[0] != PasswordScheme || !int.TryParse(parts[1], out var iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A new API key (shown once) and the digest to store.</summary>
    public static (string Key, string Hash) NewApiKey()
    {
        var key = ApiKeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        return (key, HashApiKey(key));
    }

    /// <summary>The stored form of an API key: lowercase hex SHA-256.</summary>
    public static string HashApiKey(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A random password for seeded accounts, printed once by the CLI.</summary>
    public static string NewPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y').TrimEnd('=');
}
