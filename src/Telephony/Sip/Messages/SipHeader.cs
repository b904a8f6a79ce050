namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// One header field line as received or to be sent: the name as written (so unknown
/// headers go out verbatim, RFC 3261 §7.3) and the unfolded value (§7.3.1).
/// </summary>
public sealed class SipHeader(string name, string value)
{
    public string Name { get; } = name;

    public string Value { get; } = value;

    /// <summary>The long form for known names and compact forms, else the name as written.</summary>
    public string CanonicalName { get; } = SipHeaderNames.Canonicalize(name);

    public bool Is(string canonicalName) => string.Equals(CanonicalName, canonicalName, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Name}: {Value}";
}
