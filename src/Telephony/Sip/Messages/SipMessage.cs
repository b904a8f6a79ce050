using System.Globalization;

namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// A parsed or built SIP message (RFC 3261 §7). Every header is kept in order as written;
/// the headers the stack acts on are also exposed typed, read once when the message is made.
/// </summary>
public abstract class SipMessage
{
    private protected SipMessage(IReadOnlyList<SipHeader> headers, ReadOnlyMemory<byte> body, SipTypedHeaders typed)
    {
        Headers = headers;
        Body = body;
        Vias = typed.Vias;
        From = typed.From;
        To = typed.To;
        CallId = typed.CallId;
        CSeq = typed.CSeq;
        MaxForwards = typed.MaxForwards;
        ContentLength = typed.ContentLength;
        Contacts = typed.Contacts;
        IsWildcardContact = typed.WildcardContact;
        ContentType = typed.ContentType;
        Routes = typed.Routes;
        RecordRoutes = typed.RecordRoutes;
    }

    public IReadOnlyList<SipHeader> Headers { get; }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>All Via values in order, topmost first (§20.42).</summary>
    public IReadOnlyList<SipVia> Vias { get; }

    public SipVia? TopVia => Vias.Count > 0 ? Vias[0] : null;

    public SipNameAddress? From { get; }

    public SipNameAddress? To { get; }

    public string? CallId { get; }

    public SipCSeq? CSeq { get; }

    public int? MaxForwards { get; }

    public int? ContentLength { get; }

    public IReadOnlyList<SipNameAddress> Contacts { get; }

    /// <summary>Contact: * (§10.2.2, remove all bindings).</summary>
    public bool IsWildcardContact { get; }

    public SipMediaType? ContentType { get; }

    public IReadOnlyList<SipNameAddress> Routes { get; }

    public IReadOnlyList<SipNameAddress> RecordRoutes { get; }

    private protected SipTypedHeaders TypedCopy(IReadOnlyList<SipVia> vias) => new()
    {
        Vias = vias,
        From = From,
        To = To,
        CallId = CallId,
        CSeq = CSeq,
        MaxForwards = MaxForwards,
        ContentLength = ContentLength,
        Contacts = Contacts,
        WildcardContact = IsWildcardContact,
        ContentType = ContentType,
        Routes = Routes,
        RecordRoutes = RecordRoutes,
    };

    /// <summary>The first value of a header (any spelling of its name), or null.</summary>
    public string? GetHeader(string name)
    {
        var canonical = SipHeaderNames.Canonicalize(name);
        foreach (var h in Headers)
        {
            if (h.Is(canonical))
            {
                return h.Value;
            }
        }

        return null;
    }

    /// <summary>Every line of a header, in order.</summary>
    public IEnumerable<string> GetHeaders(string name)
    {
        var canonical = SipHeaderNames.Canonicalize(name);
        return Headers.Where(h => h.Is(canonical)).Select(h => h.Value);
    }

    public int CountHeaders(string name)
    {
        var canonical = SipHeaderNames.Canonicalize(name);
        return Headers.Count(h => h.Is(canonical));
    }

    /// <summary>
    /// The comma-separated tokens of a list header over all its lines (Require, Supported,
    /// Allow ...; §7.3.1 says repeated lines and commas are equivalent).
    /// </summary>
    public IReadOnlyList<string> GetTokenList(string name)
    {
        var tokens = new List<string>();
        foreach (var value in GetHeaders(name))
        {
            foreach (var part in value.Split(','))
            {
                var token = part.Trim(' ', '\t');
                if (token.Length > 0)
                {
                    tokens.Add(token);
                }
            }
        }

        return tokens;
    }

    /// <summary>The message as bytes on the wire.</summary>
    public abstract byte[] ToBytes();

    /// <summary>Reads the typed headers; an error names the header that is malformed.</summary>
    internal static SipParseError? ReadTypedHeaders(IReadOnlyList<SipHeader> headers, out SipTypedHeaders typed)
    {
        typed = new SipTypedHeaders();
        var vias = new List<SipVia>();
        var contacts = new List<SipNameAddress>();
        var routes = new List<SipNameAddress>();
        var recordRoutes = new List<SipNameAddress>();
        foreach (var header in headers)
        {
            var value = header.Value.AsSpan();
            var ok = true;
            switch (header.CanonicalName)
            {
                case SipHeaderNames.Via:
                    ok = SipVia.TryParseList(value, vias);
                    break;
                case SipHeaderNames.From:
                case SipHeaderNames.To:
                    var address = SipNameAddress.TryParse(value);
                    ok = address is not null;
                    if (header.CanonicalName == SipHeaderNames.From)
                    {
                        typed.From ??= address;
                    }
                    else
                    {
                        typed.To ??= address;
                    }

                    break;
                case SipHeaderNames.CallId:
                    ok = IsCallId(value.Trim());
                    typed.CallId ??= header.Value;
                    break;
                case SipHeaderNames.CSeq:
                    var cseq = SipCSeq.TryParse(value);
                    ok = cseq is not null;
                    typed.CSeq ??= cseq;
                    break;
                case SipHeaderNames.MaxForwards:
                    ok = SipGrammar.TryParseDigits(value, 255, out var hops);
                    typed.MaxForwards ??= (int)hops;
                    break;
                case SipHeaderNames.ContentLength:
                    ok = SipGrammar.TryParseDigits(value, int.MaxValue, out var length);
                    typed.ContentLength ??= (int)length;
                    break;
                case SipHeaderNames.Contact:
                    if (value.SequenceEqual("*"))
                    {
                        typed.WildcardContact = true;
                    }
                    else
                    {
                        ok = SipNameAddress.TryParseList(value, contacts, requireBrackets: false);
                    }

                    break;
                case SipHeaderNames.ContentType:
                    var mediaType = SipMediaType.TryParse(value);
                    ok = mediaType is not null;
                    typed.ContentType ??= mediaType;
                    break;
                case SipHeaderNames.Route:
                    ok = SipNameAddress.TryParseList(value, routes, requireBrackets: true);
                    break;
                case SipHeaderNames.RecordRoute:
                    ok = SipNameAddress.TryParseList(value, recordRoutes, requireBrackets: true);
                    break;
                case SipHeaderNames.Date:
                    // rfc1123-date, and SIP allows only GMT (§20.17).
                    ok = DateTime.TryParseExact(header.Value, "ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _);
                    break;
            }

            if (!ok)
            {
                return new SipParseError(SipParseErrorReason.InvalidHeaderValue, $"{header.CanonicalName}: {Shorten(header.Value)}");
            }
        }

        typed.Vias = vias;
        typed.Contacts = contacts;
        typed.Routes = routes;
        typed.RecordRoutes = recordRoutes;
        return null;
    }

    internal static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";

    /// <summary>callid = word [ "@" word ] (§25.1).</summary>
    private static bool IsCallId(ReadOnlySpan<char> value)
    {
        var at = value.IndexOf('@');
        var first = at >= 0 ? value[..at] : value;
        var second = at >= 0 ? value[(at + 1)..] : "x".AsSpan();
        return IsWord(first) && IsWord(second);

        static bool IsWord(ReadOnlySpan<char> word)
        {
            if (word.IsEmpty)
            {
                return false;
            }

            foreach (var c in word)
            {
                if (!SipGrammar.IsCallIdWordChar(c))
                {
                    return false;
                }
            }

            return true;
        }
    }
}

/// <summary>The typed view of the headers the stack acts on, filled while reading.</summary>
internal sealed class SipTypedHeaders
{
    public IReadOnlyList<SipVia> Vias { get; set; } = [];

    public SipNameAddress? From { get; set; }

    public SipNameAddress? To { get; set; }

    public string? CallId { get; set; }

    public SipCSeq? CSeq { get; set; }

    public int? MaxForwards { get; set; }

    public int? ContentLength { get; set; }

    public IReadOnlyList<SipNameAddress> Contacts { get; set; } = [];

    public bool WildcardContact { get; set; }

    public SipMediaType? ContentType { get; set; }

    public IReadOnlyList<SipNameAddress> Routes { get; set; } = [];

    public IReadOnlyList<SipNameAddress> RecordRoutes { get; set; } = [];
}

/// <summary>A SIP request (§7.1): method, Request-URI, headers, body.</summary>
public sealed class SipRequest : SipMessage
{
    internal SipRequest(string method, SipAnyUri requestUri, IReadOnlyList<SipHeader> headers, ReadOnlyMemory<byte> body, SipTypedHeaders typed)
        : base(headers, body, typed)
    {
        Method = method;
        RequestUri = requestUri;
    }

    /// <summary>Case-sensitive (§7.1): "invite" is not INVITE.</summary>
    public string Method { get; }

    public SipAnyUri RequestUri { get; }

    /// <summary>
    /// Builds a request from parts; Content-Length is set from the body. Throws when our own
    /// code assembled an invalid header, which is a programming error, not input.
    /// </summary>
    public static SipRequest Create(string method, SipAnyUri requestUri, IEnumerable<SipHeader> headers, ReadOnlyMemory<byte> body = default)
    {
        var list = SipMessageWriter.WithContentLength(headers, body.Length);
        var error = ReadTypedHeaders(list, out var typed);
        if (error is not null)
        {
            throw new ArgumentException($"Invalid header in built request: {error}", nameof(headers));
        }

        return new SipRequest(method, requestUri, list, body, typed);
    }

    public override byte[] ToBytes() => SipMessageWriter.Write($"{Method} {RequestUri.Text} SIP/2.0", Headers, Body.Span);

    /// <summary>
    /// The same request with its topmost Via value replaced, as a server does when it stamps
    /// received and rport (RFC 3261 §18.2.1, RFC 3581 §4).
    /// </summary>
    public SipRequest WithTopVia(SipVia via)
    {
        var headers = new List<SipHeader>(Headers.Count);
        var replaced = false;
        foreach (var h in Headers)
        {
            if (!replaced && h.Is(SipHeaderNames.Via))
            {
                var values = new List<SipVia>();
                SipVia.TryParseList(h.Value, values);
                values[0] = via;
                headers.Add(new SipHeader(h.Name, string.Join(", ", values)));
                replaced = true;
            }
            else
            {
                headers.Add(h);
            }
        }

        var vias = Vias.ToArray();
        vias[0] = via;
        return new SipRequest(Method, RequestUri, headers, Body, TypedCopy(vias));
    }

    public override string ToString() => $"{Method} {RequestUri.Text}";
}

/// <summary>A SIP response (§7.2): status code, reason phrase, headers, body.</summary>
public sealed class SipResponse : SipMessage
{
    internal SipResponse(int statusCode, string reasonPhrase, IReadOnlyList<SipHeader> headers, ReadOnlyMemory<byte> body, SipTypedHeaders typed)
        : base(headers, body, typed)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
    }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    public bool IsProvisional => StatusCode < 200;

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>Builds a response from parts; Content-Length is set from the body.</summary>
    public static SipResponse Create(int statusCode, string? reasonPhrase, IEnumerable<SipHeader> headers, ReadOnlyMemory<byte> body = default)
    {
        var list = SipMessageWriter.WithContentLength(headers, body.Length);
        var error = ReadTypedHeaders(list, out var typed);
        if (error is not null)
        {
            throw new ArgumentException($"Invalid header in built response: {error}", nameof(headers));
        }

        return new SipResponse(statusCode, reasonPhrase ?? SipStatus.DefaultReason(statusCode), list, body, typed);
    }

    /// <summary>
    /// A response to <paramref name="request"/> built as §8.2.6.2 says: Via, From, Call-ID
    /// and CSeq copied, To copied with our tag added when the request had none (not on 100).
    /// </summary>
    public static SipResponse For(SipRequest request, int statusCode, string? reasonPhrase = null, string? toTag = null, IEnumerable<SipHeader>? extraHeaders = null, ReadOnlyMemory<byte> body = default)
    {
        var headers = new List<SipHeader>();
        foreach (var h in request.Headers)
        {
            switch (h.CanonicalName)
            {
                case SipHeaderNames.Via:
                case SipHeaderNames.From:
                case SipHeaderNames.CallId:
                case SipHeaderNames.CSeq:
                    headers.Add(new SipHeader(h.CanonicalName, h.Value));
                    break;
                case SipHeaderNames.To:
                    var to = request.To;
                    if (to is not null && to.Tag is null && toTag is not null && statusCode > 100)
                    {
                        headers.Add(new SipHeader(SipHeaderNames.To, h.Value + ";tag=" + toTag));
                    }
                    else
                    {
                        headers.Add(new SipHeader(SipHeaderNames.To, h.Value));
                    }

                    break;
            }
        }

        if (extraHeaders is not null)
        {
            headers.AddRange(extraHeaders);
        }

        return Create(statusCode, reasonPhrase, headers, body);
    }

    public override byte[] ToBytes() => SipMessageWriter.Write($"SIP/2.0 {StatusCode} {ReasonPhrase}", Headers, Body.Span);

    public override string ToString() => $"{StatusCode} {ReasonPhrase}";
}
