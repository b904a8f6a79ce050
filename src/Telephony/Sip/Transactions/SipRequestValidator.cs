using System.Security.Cryptography;
using Aicc.Telephony.Sip.Messages;

namespace Aicc.Telephony.Sip.Transactions;

/// <summary>
/// What a UAS accepts: methods, option tags, body types. Drives the checks of
/// <see cref="SipRequestValidator"/> and the Allow/Supported/Accept headers it answers with.
/// </summary>
public sealed record SipUasPolicy(
    IReadOnlyList<string> AllowedMethods,
    IReadOnlyList<string> SupportedExtensions,
    IReadOnlyList<string> AcceptedContentTypes,
    string Realm)
{
    /// <summary>
    /// Max-Forwards 0 on anything but OPTIONS gets 483: this element bridges calls onwards
    /// (B2BUA), and a request that has run out of hops must not start another leg (§16.3, §20.22).
    /// </summary>
    public bool RejectExhaustedMaxForwards { get; init; } = true;

    public static SipUasPolicy Default { get; } = new(
        ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "INFO", "REGISTER", "NOTIFY"],
        ["replaces", "timer"],
        ["application/sdp", "application/dtmf-relay", "application/dtmf", "message/sipfrag"],
        "aicc");

    public string AllowHeader => string.Join(", ", AllowedMethods);
}

/// <summary>
/// The UAS checks of RFC 3261 §8.2.1-§8.2.3 in their order, plus the reactions RFC 4475 §3.3
/// asks for. Returns the rejection to send, or null when the request may be processed.
/// </summary>
public static class SipRequestValidator
{
    /// <summary>Methods RFC 3261 and its common extensions define; others are unknown (501).</summary>
    private static readonly HashSet<string> s_knownMethods =
        ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "INFO", "PRACK", "UPDATE", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH"];

    /// <summary>Headers that may appear once only (§20 and §25 grammar: single field values).</summary>
    private static readonly string[] s_singletons =
        [SipHeaderNames.To, SipHeaderNames.From, SipHeaderNames.CallId, SipHeaderNames.CSeq, SipHeaderNames.MaxForwards, SipHeaderNames.ContentLength, SipHeaderNames.ContentType];

    public static SipResponse? Check(SipRequest request, SipUasPolicy policy, string toTag)
    {
        SipResponse Reject(int status, string? reason = null, IEnumerable<SipHeader>? headers = null) =>
            SipResponse.For(request, status, reason, toTag, headers);

        // §8.1.1: To, From, CSeq, Call-ID, Max-Forwards and Via are mandatory; Max-Forwards is
        // not demanded so RFC 2543 clients still work (RFC 4475 §3.4 inv2543).
        foreach (var name in new[] { SipHeaderNames.To, SipHeaderNames.From, SipHeaderNames.CallId, SipHeaderNames.CSeq, SipHeaderNames.Via })
        {
            if (request.CountHeaders(name) == 0)
            {
                return Reject(SipStatus.BadRequest, $"Missing {name}");
            }
        }

        foreach (var name in s_singletons)
        {
            if (request.CountHeaders(name) > 1)
            {
                return Reject(SipStatus.BadRequest, $"Multiple {name} values");
            }
        }

        if (request.Method == "ACK")
        {
            return null;
        }

        // §8.2.1 method inspection.
        if (!policy.AllowedMethods.Contains(request.Method))
        {
            return s_knownMethods.Contains(request.Method)
                ? Reject(SipStatus.MethodNotAllowed, headers: [new SipHeader(SipHeaderNames.Allow, policy.AllowHeader)])
                : Reject(SipStatus.NotImplemented, headers: [new SipHeader(SipHeaderNames.Allow, policy.AllowHeader)]);
        }

        // §8.2.2.1 Request-URI.
        if (request.RequestUri is not (SipUri or TelUri))
        {
            return Reject(SipStatus.UnsupportedUriScheme);
        }

        if (policy.RejectExhaustedMaxForwards && request.MaxForwards == 0 && request.Method != "OPTIONS")
        {
            return Reject(SipStatus.TooManyHops);
        }

        // §8.2.2.3 Require; never for CANCEL (§9.2) and ACK.
        if (request.Method != "CANCEL")
        {
            var unsupported = request.GetTokenList(SipHeaderNames.Require)
                .Where(tag => !policy.SupportedExtensions.Contains(tag, StringComparer.OrdinalIgnoreCase))
                .ToList();
            if (unsupported.Count > 0)
            {
                return Reject(SipStatus.BadExtension, headers: [new SipHeader(SipHeaderNames.Unsupported, string.Join(", ", unsupported))]);
            }
        }

        // §22.1: credentials in a scheme we cannot verify are answered with our challenge.
        var authorization = request.GetHeader(SipHeaderNames.Authorization);
        if (authorization is not null && !authorization.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase))
        {
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            return Reject(SipStatus.Unauthorized, headers:
            [
                new SipHeader(SipHeaderNames.WwwAuthenticate, $"Digest realm=\"{policy.Realm}\", nonce=\"{nonce}\", algorithm=SHA-256, qop=\"auth\""),
                new SipHeader(SipHeaderNames.WwwAuthenticate, $"Digest realm=\"{policy.Realm}\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\""),
            ]);
        }

        // §8.2.3 content processing.
        if (!request.Body.IsEmpty && request.Method != "CANCEL")
        {
            var encoding = request.GetHeader(SipHeaderNames.ContentEncoding);
            var disposition = request.GetHeader(SipHeaderNames.ContentDisposition);
            var optional = disposition is not null && disposition.Contains("handling=optional", StringComparison.OrdinalIgnoreCase);
            var type = request.ContentType;
            var understood = type is not null && policy.AcceptedContentTypes.Contains(type.Essence, StringComparer.OrdinalIgnoreCase)
                && (encoding is null || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase));
            if (!understood && !optional)
            {
                return Reject(SipStatus.UnsupportedMediaType, headers:
                [
                    new SipHeader(SipHeaderNames.Accept, string.Join(", ", policy.AcceptedContentTypes)),
                    new SipHeader("Accept-Encoding", "identity"),
                ]);
            }
        }

        // §20.1 / §21.4.7: an INVITE answer carries SDP; if the caller accepts no SDP we cannot answer.
        if (request.Method == "INVITE" && request.CountHeaders(SipHeaderNames.Accept) > 0)
        {
            var ranges = new List<SipMediaType>();
            foreach (var value in request.GetHeaders(SipHeaderNames.Accept))
            {
                SipMediaType.TryParseList(value, ranges);
            }

            if (!ranges.Any(r => r.Matches("application", "sdp")))
            {
                return Reject(SipStatus.NotAcceptable, headers: [new SipHeader(SipHeaderNames.Accept, "application/sdp")]);
            }
        }

        return null;
    }
}

/// <summary>
/// Answers requests that could not be parsed, without a transaction (RFC 3261 §8.2,
/// RFC 4475 §3.1.2): 505 for a foreign SIP version, 400 otherwise, echoing whatever Via,
/// From, To, Call-ID and CSeq lines could be split out. Responses and ACKs are never answered.
/// </summary>
public static class SipStatelessResponder
{
    public static byte[]? ForMalformed(SipParseResult result)
    {
        if (result.Kind != SipMessageKind.Request || result.Method == "ACK" || result.Error is null)
        {
            return null;
        }

        var headers = new List<SipHeader>();
        foreach (var name in new[] { SipHeaderNames.Via, SipHeaderNames.From, SipHeaderNames.To, SipHeaderNames.CallId, SipHeaderNames.CSeq })
        {
            foreach (var h in result.RawHeaders)
            {
                if (h.Is(name) && IsPrintable(h.Value))
                {
                    headers.Add(new SipHeader(h.CanonicalName, h.Value));
                    if (name != SipHeaderNames.Via)
                    {
                        break;
                    }
                }
            }
        }

        if (!headers.Any(h => h.Is(SipHeaderNames.Via)))
        {
            // Nothing to route a response by: drop, as the RFC allows for unparseable input.
            return null;
        }

        headers.Add(new SipHeader(SipHeaderNames.ContentLength, "0"));
        var status = result.Error.Reason == SipParseErrorReason.UnsupportedVersion ? SipStatus.VersionNotSupported : SipStatus.BadRequest;
        var reason = SipStatus.DefaultReason(status) + " (" + Sanitize(result.Error.ToString()) + ")";
        return SipMessageWriter.Write($"SIP/2.0 {status} {reason}", headers, []);
    }

    private static bool IsPrintable(string value) => !value.Any(c => c < 0x20 && c != '\t');

    private static string Sanitize(string text)
    {
        var chars = text.Where(c => c >= 0x20 && c < 0x7F).Take(100).ToArray();
        return new string(chars);
    }
}
