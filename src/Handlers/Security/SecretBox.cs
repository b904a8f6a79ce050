using System.Security.Cryptography;
using System.Text;

namespace Aicc.Handlers.Security;

/// <summary>
/// Reversible encryption for secrets the platform must replay to someone else (a trunk's digest
/// password), unlike staff passwords and API keys, which are only ever verified and so hashed.
/// AES-256-GCM with a random 96-bit nonce per seal; the <c>context</c> (what the secret belongs
/// to, e.g. tenant and line) is bound as associated data, so a ciphertext copied onto another
/// line or tenant fails to open. The key lives in a file outside the event store (ADR 0011):
/// a database dump alone does not reveal trunk passwords.
/// </summary>
public sealed class SecretBox
{
    private const string Scheme = "aesgcm1";
    private const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly IReadOnlyList<(string Id, byte[] Key)> _keys;

    /// <param name="keys">The first key seals; every key opens what it sealed (rotation keeps old keys until data is re-sealed).</param>
    public SecretBox(IReadOnlyList<byte[]> keys)
    {
        if (keys.Count == 0 || keys.Any(k => k.Length != KeyBytes))
        {
            throw new ArgumentException($"A secret box needs at least one {KeyBytes}-byte key.", nameof(keys));
        }

        _keys = keys.Select(k => (KeyId(k), k.ToArray())).ToList();
    }

    /// <summary>
    /// Reads the key file (one base64 key per line, the first seals, <c>#</c> starts a comment),
    /// creating it with one new random key, readable by the owner only, when it does not exist.
    /// </summary>
    public static SecretBox LoadOrCreate(string keyFile)
    {
        var path = Path.GetFullPath(keyFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var content = "# AES-256-GCM keys for trunk passwords (ADR 0011); first line seals. Keep out of backups of the database.\n"
                + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)) + "\n";
            try
            {
                // CreateNew: two hosts starting at once must not each write their own key; the
                // file is owner-only from the moment it exists.
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var stream = new FileStream(path, options);
                stream.Write(Encoding.ASCII.GetBytes(content));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }

        var keys = File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => Convert.FromBase64String(line))
            .ToList();
        return new SecretBox(keys);
    }

    /// <summary><c>aesgcm1:KEYID:base64(nonce | ciphertext | tag)</c>.</summary>
    public string Seal(string plaintext, string context)
    {
        var (keyId, key) = _keys[0];
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(key, TagBytes);
        gcm.Encrypt(nonce, plain, output.AsSpan(NonceBytes, plain.Length), output.AsSpan(NonceBytes + plain.Length), Encoding.UTF8.GetBytes(context));
        return $"{Scheme}:{keyId}:{Convert.ToBase64String(output)}";
    }

    /// <summary>The plaintext of a sealed value.</summary>
    /// <exception cref="CryptographicException">Unknown key, wrong context, or the value was altered.</exception>
    public string Open(string sealedValue, string context)
    {
        var parts = sealedValue.Split(':');
        if (parts.Length != 3 || parts[0] != Scheme)
        {
            throw new CryptographicException("Not a sealed secret of this platform.");
        }

        var key = _keys.FirstOrDefault(k => k.Id == parts[1]).Key
            ?? throw new CryptographicException($"Sealed with key {parts[1]}, which is not in the key file.");
        byte[] data;
        try
        {
            data = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("The sealed secret is not base64.", e);
        }

        if (data.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("The sealed secret is truncated.");
        }

        var cipherLength = data.Length - NonceBytes - TagBytes;
        var plain = new byte[cipherLength];
        using var gcm = new AesGcm(key, TagBytes);
        gcm.Decrypt(data.AsSpan(0, NonceBytes), data.AsSpan(NonceBytes, cipherLength), data.AsSpan(NonceBytes + cipherLength), plain, Encoding.UTF8.GetBytes(context));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>A short public fingerprint naming the key (so rotation can find the right one), not the key itself.</summary>
    private static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..8];
}
