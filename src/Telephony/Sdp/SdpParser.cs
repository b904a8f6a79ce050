using System.Globalization;

namespace Aicc.Telephony.Sdp;

/// <summary>
/// RFC 4566 §5 parser. Accepts CRLF or bare LF line ends (§5: "parsers SHOULD be tolerant"),
/// ignores unknown attributes and keeps unknown line types, and refuses what the grammar
/// makes mandatory: v=0 first, o=, s=, t=, well-formed c= and m= lines, and a connection
/// address for every active media stream (§5.7).
/// </summary>
public static class SdpParser
{
    /// <summary>Parses or throws <see cref="SdpParseException"/>.</summary>
    public static SessionDescription Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        SdpOrigin? origin = null;
        string? sessionName = null;
        SdpConnection? sessionConnection = null;
        SdpTiming? timing = null;
        var sessionAttributes = new List<SdpAttribute>();
        var sessionOthers = new List<SdpLine>();
        var media = new List<SdpMedia>();
        MediaBuilder? current = null;
        var sawVersion = false;
        var lineNumber = 0;

        foreach (var raw in lines)
        {
            lineNumber++;
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length == 0)
            {
                continue;
            }
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                throw new SdpParseException(SdpError.MalformedLine, lineNumber, "expected <type>=<value>");
            }
            var type = line[0];
            var value = line[2..];
            if (!sawVersion)
            {
                if (type != 'v')
                {
                    throw new SdpParseException(SdpError.MissingVersion, lineNumber, "the first line must be v=");
                }
                if (value.Trim() != "0")
                {
                    throw new SdpParseException(SdpError.UnsupportedVersion, lineNumber, $"version '{value}'");
                }
                sawVersion = true;
                continue;
            }
            switch (type)
            {
                case 'v':
                    throw new SdpParseException(SdpError.MalformedLine, lineNumber, "repeated v= line");
                case 'o' when current is null:
                    origin = ParseOrigin(value, lineNumber);
                    break;
                case 's' when current is null:
                    sessionName = value;
                    break;
                case 't' when current is null:
                    timing ??= ParseTiming(value, lineNumber);
                    break;
                case 'c':
                    var connection = ParseConnection(value, lineNumber);
                    if (current is null)
                    {
                        sessionConnection = connection;
                    }
                    else
                    {
                        current.Connection = connection;
                    }
                    break;
                case 'a':
                    var attribute = ParseAttribute(value, lineNumber);
                    (current?.Attributes ?? sessionAttributes).Add(attribute);
                    break;
                case 'm':
                    if (current is not null)
                    {
                        media.Add(current.Build());
                    }
                    if (origin is null)
                    {
                        throw new SdpParseException(SdpError.MissingOrigin, lineNumber, "m= before o=");
                    }
                    current = ParseMediaLine(value, lineNumber);
                    break;
                default:
                    (current?.OtherLines ?? sessionOthers).Add(new SdpLine(type, value));
                    break;
            }
        }

        if (!sawVersion)
        {
            throw new SdpParseException(SdpError.Empty, 0, "no v= line");
        }
        if (current is not null)
        {
            media.Add(current.Build());
        }
        if (origin is null)
        {
            throw new SdpParseException(SdpError.MissingOrigin, 0, "no o= line");
        }
        if (sessionName is null)
        {
            throw new SdpParseException(SdpError.MissingSessionName, 0, "no s= line");
        }
        if (timing is null)
        {
            throw new SdpParseException(SdpError.MissingTiming, 0, "no t= line");
        }
        if (sessionConnection is null)
        {
            var missing = media.FindIndex(m => m.Connection is null && m.Port != 0);
            if (missing >= 0)
            {
                throw new SdpParseException(SdpError.MissingConnection, 0, $"media {missing} has no c= line and the session has none");
            }
        }
        return new SessionDescription(origin, sessionName, sessionConnection, timing, sessionAttributes, media, sessionOthers);
    }

    /// <summary>Parses without throwing; <paramref name="error"/> carries the reason on failure.</summary>
    public static bool TryParse(string text, out SessionDescription? description, out SdpParseException? error)
    {
        try
        {
            description = Parse(text);
            error = null;
            return true;
        }
        catch (SdpParseException e)
        {
            description = null;
            error = e;
            return false;
        }
    }

    private static SdpOrigin ParseOrigin(string value, int lineNumber)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new SdpParseException(SdpError.InvalidOrigin, lineNumber, "o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>");
        }
        return new SdpOrigin(parts[0], id, version, parts[3], parts[4], parts[5]);
    }

    private static SdpTiming ParseTiming(string value, int lineNumber)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2
            || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var stop))
        {
            throw new SdpParseException(SdpError.InvalidTiming, lineNumber, "t=<start-time> <stop-time>");
        }
        return new SdpTiming(start, stop);
    }

    private static SdpConnection ParseConnection(string value, int lineNumber)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[0] != "IN" || (parts[1] != "IP4" && parts[1] != "IP6"))
        {
            throw new SdpParseException(SdpError.InvalidConnection, lineNumber, "c=IN IP4|IP6 <address>");
        }
        // Multicast TTL/count suffixes (§5.7) are kept in the address text; unicast is what SIP uses.
        var host = parts[2].Split('/')[0];
        if (!System.Net.IPAddress.TryParse(host, out _) && !IsDomainName(host))
        {
            throw new SdpParseException(SdpError.InvalidConnection, lineNumber, $"address '{parts[2]}'");
        }
        return new SdpConnection(parts[0], parts[1], parts[2]);
    }

    private static bool IsDomainName(string host) =>
        host.Length is > 0 and < 254 && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.');

    private static SdpAttribute ParseAttribute(string value, int lineNumber)
    {
        var colon = value.IndexOf(':');
        var name = colon < 0 ? value : value[..colon];
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new SdpParseException(SdpError.InvalidAttribute, lineNumber, $"attribute name '{name}'");
        }
        return new SdpAttribute(name, colon < 0 ? null : value[(colon + 1)..]);
    }

    private static MediaBuilder ParseMediaLine(string value, int lineNumber)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4)
        {
            throw new SdpParseException(SdpError.InvalidMedia, lineNumber, "m=<media> <port> <proto> <fmt> ...");
        }
        var portText = parts[1];
        int? count = null;
        var slash = portText.IndexOf('/');
        if (slash >= 0)
        {
            if (!int.TryParse(portText[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var c) || c < 1)
            {
                throw new SdpParseException(SdpError.InvalidPort, lineNumber, $"port count in '{portText}'");
            }
            count = c;
            portText = portText[..slash];
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new SdpParseException(SdpError.InvalidPort, lineNumber, $"port '{parts[1]}'");
        }
        var formats = parts[3..];
        if (parts[2].Contains("RTP/", StringComparison.Ordinal))
        {
            // RTP profiles list payload type numbers (RFC 4566 §5.14), 0-127.
            foreach (var format in formats)
            {
                if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) || pt > 127)
                {
                    throw new SdpParseException(SdpError.InvalidMedia, lineNumber, $"payload type '{format}'");
                }
            }
        }
        return new MediaBuilder(parts[0], port, count, parts[2], formats);
    }

    private sealed class MediaBuilder(string mediaType, int port, int? count, string protocol, string[] formats)
    {
        public SdpConnection? Connection { get; set; }

        public List<SdpAttribute> Attributes { get; } = [];

        public List<SdpLine> OtherLines { get; } = [];

        public SdpMedia Build() => new(mediaType, port, count, protocol, formats, Connection, Attributes, OtherLines);
    }
}
