using System.Text;

namespace Aicc.Telephony.Sip.Messages;

/// <summary>How a message's end is found (RFC 3261 §18.3).</summary>
public enum SipFraming
{
    /// <summary>UDP: the datagram is the message; without Content-Length the body runs to its end; bytes past Content-Length are ignored.</summary>
    Datagram,

    /// <summary>TCP: Content-Length (absent means 0) says where the next message starts.</summary>
    Stream,
}

/// <summary>What the first line said the message is, even when the rest failed to parse.</summary>
public enum SipMessageKind
{
    Unknown,
    Request,
    Response,
}

/// <summary>
/// The outcome of parsing: a message, or an error with whatever could be read (kind, method,
/// raw headers) so a server can still answer a malformed request (RFC 4475 §3.1.2) and a
/// linter can say what it was.
/// </summary>
public sealed class SipParseResult
{
    public SipMessage? Message { get; init; }

    public SipParseError? Error { get; init; }

    /// <summary>Stream framing only: the bytes end before the message does; read more.</summary>
    public bool NeedsMoreData { get; init; }

    /// <summary>Bytes used, including leading CRLFs (the next message starts here on a stream).</summary>
    public int Consumed { get; init; }

    public SipMessageKind Kind { get; init; }

    public string? Method { get; init; }

    public int? StatusCode { get; init; }

    /// <summary>Header lines as far as they could be split, typed or not.</summary>
    public IReadOnlyList<SipHeader> RawHeaders { get; init; } = [];

    public bool IsSuccess => Message is not null;
}

/// <summary>
/// Reads SIP messages from bytes (RFC 3261 §7, §25). Works on spans without regular
/// expressions; never throws on input: every malformed message becomes a <see cref="SipParseError"/>.
/// </summary>
public static class SipMessageParser
{
    /// <summary>Largest header section accepted on a stream, against memory exhaustion (a datagram is bounded by UDP itself).</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    /// <summary>Largest body accepted on a stream.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private const string Version = "SIP/2.0";

    public static SipParseResult Parse(ReadOnlySpan<byte> data, SipFraming framing = SipFraming.Datagram)
    {
        return ParseCore(data, framing);
    }

    private static SipParseResult ParseCore(ReadOnlySpan<byte> data, SipFraming framing)
    {
        var pos = 0;
        // §7.5: CRLFs before the start line are ignored (and are keep-alives, RFC 5626 §3.5.1).
        while (pos < data.Length && (data[pos] == (byte)'\r' || data[pos] == (byte)'\n'))
        {
            pos++;
        }

        if (pos == data.Length)
        {
            return new SipParseResult { Error = new SipParseError(SipParseErrorReason.Empty, "no message"), Consumed = pos, NeedsMoreData = framing == SipFraming.Stream };
        }

        var lines = new List<(int Start, int End)>();
        var headerEnd = -1;
        var cursor = pos;
        while (cursor < data.Length)
        {
            var nl = data[cursor..].IndexOf((byte)'\n');
            if (nl < 0)
            {
                break;
            }

            var end = cursor + nl;
            var contentEnd = end > cursor && data[end - 1] == (byte)'\r' ? end - 1 : end;
            if (contentEnd == cursor)
            {
                headerEnd = end + 1;
                break;
            }

            lines.Add((cursor, contentEnd));
            cursor = end + 1;
            if (framing == SipFraming.Stream && cursor - pos > MaxHeaderBytes)
            {
                return new SipParseResult { Error = new SipParseError(SipParseErrorReason.MessageTooLarge, $"header section over {MaxHeaderBytes} bytes"), Consumed = data.Length };
            }
        }

        if (headerEnd < 0)
        {
            if (framing == SipFraming.Stream)
            {
                return data.Length - pos > MaxHeaderBytes
                    ? new SipParseResult { Error = new SipParseError(SipParseErrorReason.MessageTooLarge, $"header section over {MaxHeaderBytes} bytes"), Consumed = data.Length }
                    : new SipParseResult { NeedsMoreData = true, Error = new SipParseError(SipParseErrorReason.HeadersIncomplete, "waiting for the empty line") };
            }

            // A datagram is all there is: read what is there so the error names the real fault.
            var lastEnd = data[^1] == (byte)'\r' ? data.Length - 1 : data.Length;
            if (lastEnd > cursor)
            {
                lines.Add((cursor, lastEnd));
            }
        }

        if (lines.Count == 0)
        {
            return new SipParseResult { Error = new SipParseError(SipParseErrorReason.HeadersIncomplete, "no start line"), Consumed = data.Length };
        }

        var startLine = Encoding.UTF8.GetString(data[lines[0].Start..lines[0].End]);
        var result = ParseStartLine(startLine);
        var headers = new List<SipHeader>();
        var headerError = ReadHeaderLines(data, lines, headers);
        if (result.Error is not null || headerError is not null)
        {
            return new SipParseResult
            {
                Error = result.Error ?? headerError,
                Kind = result.Kind,
                Method = result.Method,
                StatusCode = result.Status,
                RawHeaders = headers,
                Consumed = headerEnd < 0 ? data.Length : headerEnd,
            };
        }

        SipParseResult Fail(SipParseErrorReason reason, string detail, int consumed) => new()
        {
            Error = new SipParseError(reason, detail),
            Kind = result.Kind,
            Method = result.Method,
            StatusCode = result.Status,
            RawHeaders = headers,
            Consumed = consumed,
        };

        var typedError = SipMessage.ReadTypedHeaders(headers, out var typed);
        if (typedError is not null)
        {
            return Fail(typedError.Reason, typedError.Detail, headerEnd < 0 ? data.Length : headerEnd);
        }

        if (headerEnd < 0)
        {
            return Fail(SipParseErrorReason.HeadersIncomplete, "no empty line after the headers", data.Length);
        }

        if (result.Kind == SipMessageKind.Request && typed.CSeq is not null && typed.CSeq.Method != result.Method)
        {
            return Fail(SipParseErrorReason.CSeqMethodMismatch, $"request is {result.Method}, CSeq says {typed.CSeq.Method}", headerEnd);
        }

        var available = data.Length - headerEnd;
        int bodyLength;
        if (typed.ContentLength is { } declared)
        {
            if (declared > available)
            {
                if (framing == SipFraming.Stream)
                {
                    return declared > MaxBodyBytes
                        ? Fail(SipParseErrorReason.MessageTooLarge, $"body of {declared} bytes", data.Length)
                        : new SipParseResult { NeedsMoreData = true, Error = new SipParseError(SipParseErrorReason.BodyShorterThanContentLength, "waiting for the body") };
                }

                return Fail(SipParseErrorReason.BodyShorterThanContentLength, $"Content-Length {declared}, {available} bytes follow", data.Length);
            }

            bodyLength = declared;
        }
        else
        {
            bodyLength = framing == SipFraming.Datagram ? available : 0;
        }

        var body = data.Slice(headerEnd, bodyLength).ToArray();
        // On a datagram the bytes after the body are ignored (RFC 4475 §3.1.1.11 dblreq).
        var consumed = framing == SipFraming.Datagram ? data.Length : headerEnd + bodyLength;
        SipMessage message = result.Kind == SipMessageKind.Request
            ? new SipRequest(result.Method!, result.Uri!, headers, body, typed)
            : new SipResponse(result.Status!.Value, result.Reason!, headers, body, typed);
        return new SipParseResult
        {
            Message = message,
            Kind = result.Kind,
            Method = result.Method ?? typed.CSeq?.Method,
            StatusCode = result.Status,
            RawHeaders = headers,
            Consumed = consumed,
        };
    }

    private sealed record StartLine(SipMessageKind Kind, string? Method, SipAnyUri? Uri, int? Status, string? Reason, SipParseError? Error);

    /// <summary>Request-Line (§7.1) or Status-Line (§7.2): single spaces, nothing else.</summary>
    private static StartLine ParseStartLine(string line)
    {
        if (line.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase))
        {
            var firstSpace = line.IndexOf(' ');
            var version = firstSpace < 0 ? line : line[..firstSpace];
            if (!version.Equals(Version, StringComparison.OrdinalIgnoreCase))
            {
                return new StartLine(SipMessageKind.Response, null, null, null, null, new SipParseError(SipParseErrorReason.UnsupportedVersion, version));
            }

            var rest = firstSpace < 0 ? string.Empty : line[(firstSpace + 1)..];
            var codeEnd = rest.IndexOf(' ');
            var code = codeEnd < 0 ? rest : rest[..codeEnd];
            if (code.Length != 3 || !int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status) || status < 100 || status > 699)
            {
                return new StartLine(SipMessageKind.Response, null, null, null, null, new SipParseError(SipParseErrorReason.InvalidStatusCode, MaxShort(code)));
            }

            var reason = codeEnd < 0 ? string.Empty : rest[(codeEnd + 1)..];
            if (reason.Any(c => c < 0x20 && c != '\t'))
            {
                return new StartLine(SipMessageKind.Response, null, null, status, null, new SipParseError(SipParseErrorReason.InvalidStartLine, "control character in reason phrase"));
            }

            return new StartLine(SipMessageKind.Response, null, null, status, reason, null);
        }

        var methodEnd = line.IndexOf(' ');
        var method = methodEnd < 0 ? line : line[..methodEnd];
        if (!SipGrammar.IsTokenSpan(method))
        {
            return new StartLine(SipMessageKind.Unknown, null, null, null, null, new SipParseError(SipParseErrorReason.InvalidStartLine, SipMessage.Shorten(line)));
        }

        var lastSpace = line.LastIndexOf(' ');
        if (methodEnd < 0 || lastSpace == methodEnd)
        {
            return new StartLine(SipMessageKind.Request, method, null, null, null, new SipParseError(SipParseErrorReason.InvalidStartLine, "request line needs method, URI and version"));
        }

        var requestVersion = line[(lastSpace + 1)..];
        if (!requestVersion.Equals(Version, StringComparison.OrdinalIgnoreCase))
        {
            var reason = requestVersion.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase) ? SipParseErrorReason.UnsupportedVersion : SipParseErrorReason.InvalidStartLine;
            return new StartLine(SipMessageKind.Request, method, null, null, null, new SipParseError(reason, requestVersion.Length == 0 ? "whitespace after the version" : MaxShort(requestVersion)));
        }

        var uriText = line.AsSpan(methodEnd + 1, lastSpace - methodEnd - 1);
        if (uriText.IsEmpty || uriText.IndexOfAny(' ', '\t') >= 0)
        {
            return new StartLine(SipMessageKind.Request, method, null, null, null, new SipParseError(SipParseErrorReason.InvalidRequestUri, "whitespace in or around the Request-URI"));
        }

        var uri = SipAnyUri.TryParse(uriText);
        if (uri is null)
        {
            return new StartLine(SipMessageKind.Request, method, null, null, null, new SipParseError(SipParseErrorReason.InvalidRequestUri, SipMessage.Shorten(uriText.ToString())));
        }

        // §19.1.1 table: headers are not allowed in a Request-URI.
        if (uri is SipUri { Headers.Count: > 0 })
        {
            return new StartLine(SipMessageKind.Request, method, null, null, null, new SipParseError(SipParseErrorReason.InvalidRequestUri, "headers in the Request-URI"));
        }

        return new StartLine(SipMessageKind.Request, method, uri, null, null, null);
    }

    private static string MaxShort(string s) => SipMessage.Shorten(s);

    /// <summary>Splits header lines, unfolding continuation lines into one SP (§7.3.1).</summary>
    private static SipParseError? ReadHeaderLines(ReadOnlySpan<byte> data, List<(int Start, int End)> lines, List<SipHeader> headers)
    {
        string? name = null;
        StringBuilder? value = null;
        for (var i = 1; i < lines.Count; i++)
        {
            var line = data[lines[i].Start..lines[i].End];
            if (line.IsEmpty)
            {
                continue;
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (name is null)
                {
                    return new SipParseError(SipParseErrorReason.InvalidHeaderLine, "continuation line before any header");
                }

                value!.Append(' ').Append(Encoding.UTF8.GetString(line.Trim(" \t"u8)));
                continue;
            }

            if (name is not null)
            {
                headers.Add(new SipHeader(name, value!.ToString().Trim(' ', '\t')));
            }

            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                return new SipParseError(SipParseErrorReason.InvalidHeaderLine, "no colon: " + SipMessage.Shorten(Encoding.UTF8.GetString(line)));
            }

            // HCOLON = *( SP / HTAB ) ":" SWS
            var nameBytes = line[..colon].TrimEnd(" \t"u8);
            var nameText = Encoding.UTF8.GetString(nameBytes);
            if (!SipGrammar.IsTokenSpan(nameText))
            {
                return new SipParseError(SipParseErrorReason.InvalidHeaderLine, "bad header name: " + SipMessage.Shorten(nameText));
            }

            name = nameText;
            value = new StringBuilder(Encoding.UTF8.GetString(line[(colon + 1)..].Trim(" \t"u8)));
        }

        if (name is not null)
        {
            headers.Add(new SipHeader(name, value!.ToString().Trim(' ', '\t')));
        }

        return null;
    }
}
