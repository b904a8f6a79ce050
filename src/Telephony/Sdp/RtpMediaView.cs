using System.Globalization;
using System.Net;

namespace Aicc.Telephony.Sdp;

/// <summary>An a=rtpmap line (RFC 4566 §6): payload type to encoding name, clock rate and channels.</summary>
public sealed record RtpMap(int PayloadType, string EncodingName, int ClockRate, int Channels = 1)
{
    public override string ToString() =>
        Channels == 1 ? $"{PayloadType} {EncodingName}/{ClockRate}" : $"{PayloadType} {EncodingName}/{ClockRate}/{Channels}";
}

/// <summary>
/// Typed reading of the RTP-related attributes of an m= section: rtpmap and fmtp (RFC 4566 §6),
/// ptime, direction, and rtcp (RFC 3605). Exists so offer/answer code never parses strings.
/// </summary>
public static class RtpMediaView
{
    /// <summary>The rtpmap for a payload type, falling back to RFC 3551's static assignments.</summary>
    public static RtpMap? RtpMapFor(this SdpMedia media, int payloadType)
    {
        var prefix = payloadType.ToString(CultureInfo.InvariantCulture);
        foreach (var attribute in media.Attributes)
        {
            if (!string.Equals(attribute.Name, "rtpmap", StringComparison.OrdinalIgnoreCase) || attribute.Value is null)
            {
                continue;
            }
            var space = attribute.Value.IndexOf(' ');
            if (space <= 0 || attribute.Value[..space] != prefix)
            {
                continue;
            }
            var encoding = attribute.Value[(space + 1)..].Trim().Split('/');
            if (encoding.Length < 2 || !int.TryParse(encoding[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rate))
            {
                return null;
            }
            var channels = 1;
            if (encoding.Length > 2 && !int.TryParse(encoding[2], NumberStyles.None, CultureInfo.InvariantCulture, out channels))
            {
                return null;
            }
            return new RtpMap(payloadType, encoding[0], rate, channels);
        }
        // RFC 3551 §6 Table 4: static types may be used without an rtpmap.
        return payloadType switch
        {
            0 => new RtpMap(0, "PCMU", 8000),
            8 => new RtpMap(8, "PCMA", 8000),
            _ => null,
        };
    }

    /// <summary>The format parameters (a=fmtp) for a payload type, or null.</summary>
    public static string? FmtpFor(this SdpMedia media, int payloadType)
    {
        var prefix = payloadType.ToString(CultureInfo.InvariantCulture) + " ";
        return media.Attributes
            .Where(a => string.Equals(a.Name, "fmtp", StringComparison.OrdinalIgnoreCase) && a.Value is not null)
            .Select(a => a.Value!)
            .Where(v => v.StartsWith(prefix, StringComparison.Ordinal))
            .Select(v => v[prefix.Length..].Trim())
            .FirstOrDefault();
    }

    /// <summary>The payload types listed on the m= line, in the author's preference order.</summary>
    public static IEnumerable<int> PayloadTypes(this SdpMedia media) =>
        media.Formats.Select(f => int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) ? pt : -1).Where(pt => pt >= 0);

    /// <summary>The packet time in ms (a=ptime, RFC 4566 §6), or null.</summary>
    public static int? Ptime(this SdpMedia media) =>
        int.TryParse(media.AttributeValue("ptime"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0 ? ms : null;

    /// <summary>
    /// The stream's direction: the media-level attribute, else the session-level one, else sendrecv
    /// (RFC 4566 §6). A connection address of 0.0.0.0 is the RFC 2543 way to hold (RFC 3264 §8.4),
    /// read as "does not want to receive".
    /// </summary>
    public static MediaDirection Direction(this SdpMedia media, SessionDescription session)
    {
        var direction = media.Attributes.Select(a => MediaDirections.FromAttributeName(a.Name)).FirstOrDefault(d => d is not null)
            ?? session.Attributes.Select(a => MediaDirections.FromAttributeName(a.Name)).FirstOrDefault(d => d is not null)
            ?? MediaDirection.SendRecv;
        var address = (media.Connection ?? session.Connection)?.Address;
        if (address == "0.0.0.0")
        {
            direction = MediaDirections.From(direction.Sends(), receives: false);
        }
        return direction;
    }

    /// <summary>The address and port the author wants RTP sent to, or null when unresolvable.</summary>
    public static IPEndPoint? RtpEndPoint(this SdpMedia media, SessionDescription session)
    {
        var connection = media.Connection ?? session.Connection;
        if (connection is null || !IPAddress.TryParse(connection.Address.Split('/')[0], out var address))
        {
            return null;
        }
        return new IPEndPoint(address, media.Port);
    }

    /// <summary>Where RTCP goes: a=rtcp (RFC 3605 §2.1) if present, else RTP port + 1 (RFC 3550 §11).</summary>
    public static IPEndPoint? RtcpEndPoint(this SdpMedia media, SessionDescription session)
    {
        var rtp = media.RtpEndPoint(session);
        if (rtp is null)
        {
            return null;
        }
        var value = media.AttributeValue("rtcp");
        if (value is null)
        {
            return new IPEndPoint(rtp.Address, rtp.Port + 1);
        }
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return new IPEndPoint(rtp.Address, rtp.Port + 1);
        }
        var address = parts.Length >= 4 && IPAddress.TryParse(parts[3], out var explicitAddress) ? explicitAddress : rtp.Address;
        return new IPEndPoint(address, port);
    }
}
