using System.Text;

namespace Aicc.Telephony.Sdp;

/// <summary>
/// An SDP session description (RFC 4566 §5). Exists as the typed form of what SIP bodies carry
/// for offer/answer (RFC 3264); lines we do not interpret (i=, u=, b=, k= ...) are kept verbatim
/// in <see cref="OtherLines"/> so re-serializing does not lose them.
/// </summary>
public sealed record SessionDescription(
    SdpOrigin Origin,
    string SessionName,
    SdpConnection? Connection,
    SdpTiming Timing,
    IReadOnlyList<SdpAttribute> Attributes,
    IReadOnlyList<SdpMedia> Media,
    IReadOnlyList<SdpLine> OtherLines)
{
    /// <summary>The protocol version; RFC 4566 §5.1 defines only 0.</summary>
    public int Version => 0;

    /// <summary>Parses SDP text; throws <see cref="SdpParseException"/> with a typed reason when malformed.</summary>
    public static SessionDescription Parse(string text) => SdpParser.Parse(text);

    /// <summary>Serializes with CRLF line ends in the order RFC 4566 §5 prescribes.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(256);
        Line(sb, 'v', "0");
        Line(sb, 'o', Origin.ToString());
        Line(sb, 's', SessionName.Length == 0 ? " " : SessionName);
        WriteOthers(sb, OtherLines, "iuep");
        if (Connection is not null)
        {
            Line(sb, 'c', Connection.ToString());
        }
        WriteOthers(sb, OtherLines, "b");
        Line(sb, 't', Timing.ToString());
        WriteOthers(sb, OtherLines, "rzk");
        foreach (var attribute in Attributes)
        {
            Line(sb, 'a', attribute.ToString());
        }
        foreach (var media in Media)
        {
            media.WriteTo(sb);
        }
        return sb.ToString();
    }

    internal static void Line(StringBuilder sb, char type, string value) =>
        sb.Append(type).Append('=').Append(value).Append("\r\n");

    internal static void WriteOthers(StringBuilder sb, IReadOnlyList<SdpLine> lines, string types)
    {
        foreach (var line in lines)
        {
            if (types.Contains(line.Type))
            {
                Line(sb, line.Type, line.Value);
            }
        }
    }
}

/// <summary>The o= line (RFC 4566 §5.2): identifies the session and versions each change of it (RFC 3264 §8).</summary>
public sealed record SdpOrigin(string Username, ulong SessionId, ulong SessionVersion, string NetworkType, string AddressType, string Address)
{
    public override string ToString() => $"{Username} {SessionId} {SessionVersion} {NetworkType} {AddressType} {Address}";
}

/// <summary>The c= line (RFC 4566 §5.7): where media is to be sent.</summary>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    /// <summary>A connection line for an IPv4 or IPv6 address.</summary>
    public static SdpConnection For(System.Net.IPAddress address) =>
        new("IN", address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4", address.ToString());

    public override string ToString() => $"{NetworkType} {AddressType} {Address}";
}

/// <summary>The t= line (RFC 4566 §5.9); SIP sessions use "0 0" (unbounded).</summary>
public sealed record SdpTiming(ulong Start, ulong Stop)
{
    public static SdpTiming Unbounded { get; } = new(0, 0);

    public override string ToString() => $"{Start} {Stop}";
}

/// <summary>An a= line (RFC 4566 §5.13): a property attribute (no value) or a value attribute.</summary>
public sealed record SdpAttribute(string Name, string? Value)
{
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";
}

/// <summary>A line kept verbatim because nothing here interprets it (RFC 4566 §5: i, u, e, p, b, r, z, k).</summary>
public sealed record SdpLine(char Type, string Value);

/// <summary>An m= section (RFC 4566 §5.14) with its own c= and a= lines.</summary>
public sealed record SdpMedia(
    string MediaType,
    int Port,
    int? PortCount,
    string Protocol,
    IReadOnlyList<string> Formats,
    SdpConnection? Connection,
    IReadOnlyList<SdpAttribute> Attributes,
    IReadOnlyList<SdpLine> OtherLines)
{
    /// <summary>The value of the first attribute with this name, or null (also null for property attributes).</summary>
    public string? AttributeValue(string name) =>
        Attributes.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>True if an attribute with this name is present.</summary>
    public bool HasAttribute(string name) =>
        Attributes.Any(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    internal void WriteTo(StringBuilder sb)
    {
        var port = PortCount is null ? Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Port}/{PortCount}";
        SessionDescription.Line(sb, 'm', $"{MediaType} {port} {Protocol} {string.Join(' ', Formats)}");
        SessionDescription.WriteOthers(sb, OtherLines, "i");
        if (Connection is not null)
        {
            SessionDescription.Line(sb, 'c', Connection.ToString());
        }
        SessionDescription.WriteOthers(sb, OtherLines, "bk");
        foreach (var attribute in Attributes)
        {
            SessionDescription.Line(sb, 'a', attribute.ToString());
        }
    }
}
