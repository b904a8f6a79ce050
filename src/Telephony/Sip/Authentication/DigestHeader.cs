using System.Text;

namespace Aicc.Telephony.Sip.Authentication;

/// <summary>
/// A Digest challenge or credentials header value (WWW-Authenticate, Proxy-Authenticate,
/// Authorization, Proxy-Authorization; RFC 3261 §25.1, RFC 7616 §3.3-§3.4): the scheme and its
/// comma-separated auth-params, quoted or not, names case-insensitive.
/// </summary>
public sealed record DigestHeader(IReadOnlyDictionary<string, string> Parameters)
{
    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>Parses "Digest a=b, c="d"" (the scheme is required and must be Digest); null otherwise.</summary>
    public static DigestHeader? TryParse(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.AsSpan().Trim();
        if (!text.StartsWith("Digest", StringComparison.OrdinalIgnoreCase) || (text.Length > 6 && !char.IsWhiteSpace(text[6])))
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 6;
        while (i < text.Length)
        {
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == ','))
            {
                i++;
            }

            var nameStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',' && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var name = text[nameStart..i].ToString();
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (name.Length == 0 || i >= text.Length || text[i] != '=')
            {
                return name.Length == 0 && i >= text.Length ? new DigestHeader(parameters) : null;
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var builder = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    builder.Append(text[i]);
                    i++;
                }

                if (i >= text.Length)
                {
                    return null;
                }

                i++;
            }
            else
            {
                while (i < text.Length && text[i] != ',' && !char.IsWhiteSpace(text[i]))
                {
                    builder.Append(text[i]);
                    i++;
                }
            }

            parameters[name] = builder.ToString();
        }

        return new DigestHeader(parameters);
    }

    /// <summary>Writes "Digest ..." with the given parameters; <paramref name="unquoted"/> names are written bare (algorithm, nc, qop in credentials, stale).</summary>
    public static string Format(IEnumerable<(string Name, string Value)> parameters, params string[] unquoted)
    {
        var parts = parameters.Select(p => unquoted.Contains(p.Name, StringComparer.OrdinalIgnoreCase)
            ? $"{p.Name}={p.Value}"
            : $"{p.Name}=\"{p.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        return "Digest " + string.Join(", ", parts);
    }
}
