using System.Security.Cryptography;
using System.Text;

namespace Aicc.Telephony.Sip.Authentication;

/// <summary>The digest hash functions SIP uses: MD5 (RFC 3261 §22) and SHA-256 (RFC 7616, RFC 8760).</summary>
public enum DigestAlgorithm
{
    Md5,
    Sha256,
}

/// <summary>
/// The digest computations of RFC 7616 §3.4 (qop=auth) and RFC 2617 §3.2.2.1 (no qop): pure
/// functions over strings, lower-case hex, so both the UAC and the registrar use the same code.
/// </summary>
public static class Digest
{
    public static string Name(DigestAlgorithm algorithm) => algorithm == DigestAlgorithm.Sha256 ? "SHA-256" : "MD5";

    public static DigestAlgorithm? Parse(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        null or "" or "MD5" => DigestAlgorithm.Md5,
        "SHA-256" => DigestAlgorithm.Sha256,
        _ => null,
    };

    public static string Hash(DigestAlgorithm algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var hash = algorithm == DigestAlgorithm.Sha256 ? SHA256.HashData(bytes) : MD5.HashData(bytes);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>HA1 = H(username:realm:password): what a credential store keeps instead of the password.</summary>
    public static string Ha1(DigestAlgorithm algorithm, string user, string realm, string password) => Hash(algorithm, $"{user}:{realm}:{password}");

    /// <summary>The request-digest from HA1; <paramref name="qop"/> null means the RFC 2069 form.</summary>
    public static string Response(DigestAlgorithm algorithm, string ha1, string nonce, string method, string uri, string? qop, string? nonceCount, string? clientNonce)
    {
        var ha2 = Hash(algorithm, $"{method}:{uri}");
        return qop is null
            ? Hash(algorithm, $"{ha1}:{nonce}:{ha2}")
            : Hash(algorithm, $"{ha1}:{nonce}:{nonceCount}:{clientNonce}:{qop}:{ha2}");
    }
}
