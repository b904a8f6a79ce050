using System.Text;

namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// Serializes messages (RFC 3261 §7): start line, one header per line as stored, empty
/// line, body. Also writes messages whose headers could not be typed (a 400 that echoes a
/// malformed request's Via), which is why it works on raw parts.
/// </summary>
public static class SipMessageWriter
{
    private static readonly byte[] s_crlf = "\r\n"u8.ToArray();

    public static byte[] Write(string startLine, IReadOnlyList<SipHeader> headers, ReadOnlySpan<byte> body)
    {
        var size = Encoding.UTF8.GetByteCount(startLine) + 4 + body.Length;
        foreach (var h in headers)
        {
            size += Encoding.UTF8.GetByteCount(h.Name) + Encoding.UTF8.GetByteCount(h.Value) + 4;
        }

        var buffer = new byte[size];
        var span = buffer.AsSpan();
        var pos = Encoding.UTF8.GetBytes(startLine, span);
        s_crlf.CopyTo(span[pos..]);
        pos += 2;
        foreach (var h in headers)
        {
            pos += Encoding.UTF8.GetBytes(h.Name, span[pos..]);
            span[pos++] = (byte)':';
            span[pos++] = (byte)' ';
            pos += Encoding.UTF8.GetBytes(h.Value, span[pos..]);
            s_crlf.CopyTo(span[pos..]);
            pos += 2;
        }

        s_crlf.CopyTo(span[pos..]);
        pos += 2;
        body.CopyTo(span[pos..]);
        return buffer;
    }

    /// <summary>Headers with exactly one Content-Length, equal to the body length (§20.14).</summary>
    public static IReadOnlyList<SipHeader> WithContentLength(IEnumerable<SipHeader> headers, int bodyLength)
    {
        var list = headers.Where(h => !h.Is(SipHeaderNames.ContentLength)).ToList();
        list.Add(new SipHeader(SipHeaderNames.ContentLength, bodyLength.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return list;
    }
}

/// <summary>Status codes the stack sends, with the reason phrases of RFC 3261 §21.</summary>
public static class SipStatus
{
    public const int Trying = 100;
    public const int Ringing = 180;
    public const int Ok = 200;
    public const int BadRequest = 400;
    public const int Unauthorized = 401;
    public const int Forbidden = 403;
    public const int ProxyAuthenticationRequired = 407;
    public const int NotFound = 404;
    public const int MethodNotAllowed = 405;
    public const int NotAcceptable = 406;
    public const int RequestTimeout = 408;
    public const int UnsupportedMediaType = 415;
    public const int UnsupportedUriScheme = 416;
    public const int BadExtension = 420;
    public const int IntervalTooBrief = 423;
    public const int TemporarilyUnavailable = 480;
    public const int CallOrTransactionDoesNotExist = 481;
    public const int LoopDetected = 482;
    public const int TooManyHops = 483;
    public const int BusyHere = 486;
    public const int RequestTerminated = 487;
    public const int NotAcceptableHere = 488;
    public const int ServerInternalError = 500;
    public const int NotImplemented = 501;
    public const int VersionNotSupported = 505;
    public const int Decline = 603;

    public static string DefaultReason(int code) => code switch
    {
        100 => "Trying",
        180 => "Ringing",
        181 => "Call Is Being Forwarded",
        182 => "Queued",
        183 => "Session Progress",
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme",
        420 => "Bad Extension",
        423 => "Interval Too Brief",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        482 => "Loop Detected",
        483 => "Too Many Hops",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        504 => "Server Time-out",
        505 => "Version Not Supported",
        600 => "Busy Everywhere",
        603 => "Decline",
        _ => code switch
        {
            < 200 => "Provisional",
            < 300 => "Success",
            < 400 => "Redirection",
            < 500 => "Client Error",
            < 600 => "Server Error",
            _ => "Global Failure",
        },
    };
}
