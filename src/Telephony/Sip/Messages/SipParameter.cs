namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// One <c>;name[=value]</c> parameter of a URI or header field (RFC 3261 §25.1
/// generic-param, uri-parameter). Values are kept as written (escapes, quotes) so a message
/// forwarded or echoed back is byte-for-byte what the peer sent; names compare
/// case-insensitively.
/// </summary>
public sealed record SipParameter(string Name, string? Value)
{
    public override string ToString() => Value is null ? Name : $"{Name}={Value}";
}

/// <summary>Lookups over parameter lists.</summary>
public static class SipParameterList
{
    public static SipParameter? Find(this IReadOnlyList<SipParameter> parameters, string name)
    {
        foreach (var p in parameters)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p;
            }
        }

        return null;
    }

    public static string? ValueOf(this IReadOnlyList<SipParameter> parameters, string name) =>
        parameters.Find(name)?.Value;

    public static bool Has(this IReadOnlyList<SipParameter> parameters, string name) =>
        parameters.Find(name) is not null;

    public static string Format(this IReadOnlyList<SipParameter> parameters)
    {
        if (parameters.Count == 0)
        {
            return string.Empty;
        }

        return string.Concat(parameters.Select(p => ";" + p));
    }
}
