using System.Globalization;
using System.Security.Cryptography;

namespace Aicc.Telephony.Sip.Authentication;

/// <summary>A username and password for a trunk or provider (RFC 3261 §22.2).</summary>
public sealed record SipCredentials(string User, string Password);

/// <summary>
/// The UAC side of Digest (RFC 3261 §22.2, RFC 7616 §3.4): turns a 401/407 challenge into the
/// Authorization / Proxy-Authorization value for the retried request, with qop=auth when offered.
/// </summary>
public static class DigestClient
{
    /// <summary>
    /// Picks the first challenge whose algorithm we support (RFC 7616 §3.7: servers list their
    /// preferred one first) and answers it; null when none is usable.
    /// </summary>
    public static string? Answer(IEnumerable<string> challenges, SipCredentials credentials, string method, string uri, int nonceCount = 1)
    {
        foreach (var value in challenges)
        {
            var challenge = DigestHeader.TryParse(value);
            if (challenge?["nonce"] is not { } nonce || challenge["realm"] is not { } realm || Digest.Parse(challenge["algorithm"]) is not { } algorithm)
            {
                continue;
            }

            var qops = (challenge["qop"] ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var qop = qops.Contains("auth", StringComparer.OrdinalIgnoreCase) ? "auth" : null;
            var nc = nonceCount.ToString("x8", CultureInfo.InvariantCulture);
            var cnonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var ha1 = Digest.Ha1(algorithm, credentials.User, realm, credentials.Password);
            var response = Digest.Response(algorithm, ha1, nonce, method, uri, qop, nc, cnonce);
            var parameters = new List<(string, string)>
            {
                ("username", credentials.User),
                ("realm", realm),
                ("nonce", nonce),
                ("uri", uri),
                ("response", response),
                ("algorithm", Digest.Name(algorithm)),
            };
            if (qop is not null)
            {
                parameters.Add(("qop", qop));
                parameters.Add(("nc", nc));
                parameters.Add(("cnonce", cnonce));
            }

            if (challenge["opaque"] is { } opaque)
            {
                parameters.Add(("opaque", opaque));
            }

            return DigestHeader.Format(parameters, "algorithm", "qop", "nc");
        }

        return null;
    }
}
