using System.Text;

namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// The value of From, To, Contact, Route and Record-Route: a URI with an optional display
/// name and header parameters (RFC 3261 §20.10, §20.20, §20.39, §25.1 name-addr / addr-spec).
/// The tag parameter identifies dialogs (§19.3).
/// </summary>
public sealed record SipNameAddress(string? DisplayName, SipAnyUri Uri, IReadOnlyList<SipParameter> Parameters, bool Bracketed)
{
    public string? Tag => Parameters.ValueOf("tag");

    public SipNameAddress WithTag(string tag)
    {
        var ps = Parameters.Where(p => !string.Equals(p.Name, "tag", StringComparison.OrdinalIgnoreCase)).ToList();
        ps.Add(new SipParameter("tag", tag));
        return this with { Parameters = ps };
    }

    /// <summary>Writes the value; the URI is bracketed when it must be (§20.10).</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        if (DisplayName is not null)
        {
            builder.Append('"').Append(DisplayName.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append("\" ");
        }

        var bracket = Bracketed || DisplayName is not null || Uri.Text.AsSpan().IndexOfAny(";,?") >= 0;
        builder.Append(bracket ? "<" : string.Empty).Append(Uri.Text).Append(bracket ? ">" : string.Empty);
        builder.Append(Parameters.Format());
        return builder.ToString();
    }

    /// <summary>Parses a single-value field (From, To).</summary>
    public static SipNameAddress? TryParse(ReadOnlySpan<char> value)
    {
        var reader = new HeaderValueReader(value);
        reader.SkipWhitespace();
        var result = TryRead(ref reader, inList: false, requireBrackets: false);
        reader.SkipWhitespace();
        return result is not null && reader.AtEnd ? result : null;
    }

    /// <summary>
    /// Parses a comma-separated list (Contact, Route, Record-Route), adding to
    /// <paramref name="into"/>. Commas inside quotes or brackets do not split.
    /// </summary>
    public static bool TryParseList(ReadOnlySpan<char> value, List<SipNameAddress> into, bool requireBrackets)
    {
        var reader = new HeaderValueReader(value);
        reader.SkipWhitespace();
        while (true)
        {
            var item = TryRead(ref reader, inList: true, requireBrackets);
            if (item is null)
            {
                return false;
            }

            into.Add(item);
            if (reader.TryConsumeSeparator(','))
            {
                continue;
            }

            reader.SkipWhitespace();
            return reader.AtEnd;
        }
    }

    private static SipNameAddress? TryRead(ref HeaderValueReader reader, bool inList, bool requireBrackets)
    {
        string? displayName = null;
        if (reader.Peek == '"')
        {
            if (!reader.TryReadQuotedString(out _, out var content))
            {
                return null;
            }

            displayName = content;
            reader.SkipWhitespace();
            if (reader.Peek != '<')
            {
                return null;
            }
        }
        else if (reader.Peek != '<')
        {
            // display-name = *(token LWS): tokens up to '<' make a display name; otherwise
            // this is an addr-spec (a URI holds ':' which no token does).
            var start = reader.Position;
            var end = start;
            while (true)
            {
                var token = reader.ReadToken();
                if (token.IsEmpty)
                {
                    break;
                }

                end = reader.Position;
                reader.SkipWhitespace();
            }

            if (reader.Peek == '<' && end > start)
            {
                displayName = reader.Slice(start, end).ToString();
            }
            else
            {
                reader.Position = start;
            }
        }

        SipAnyUri? uri;
        var bracketed = false;
        if (reader.Peek == '<' && !reader.AtEnd)
        {
            reader.Advance();
            var rest = reader.Remaining;
            var close = rest.IndexOf('>');
            if (close < 0)
            {
                return null;
            }

            // LAQUOT/RAQUOT allow no whitespace inside the brackets (RFC 4475 §3.1.2.15).
            uri = SipAnyUri.TryParse(rest[..close]);
            if (uri is null)
            {
                return null;
            }

            reader.Advance(close + 1);
            bracketed = true;
        }
        else
        {
            if (requireBrackets)
            {
                return null;
            }

            // addr-spec without brackets ends at ';' (header params), ',' (next list item) or
            // whitespace; it may not hold '?' either (§20.10).
            var rest = reader.Remaining;
            var end = rest.IndexOfAny(inList ? ";, \t" : "; \t");
            var text = end >= 0 ? rest[..end] : rest;
            if (text.IndexOf('?') >= 0)
            {
                return null;
            }

            uri = SipAnyUri.TryParse(text);
            if (uri is null)
            {
                return null;
            }

            reader.Advance(text.Length);
        }

        var parameters = new List<SipParameter>();
        if (!reader.TryReadParameters(parameters))
        {
            return null;
        }

        return new SipNameAddress(displayName, uri, parameters, bracketed);
    }
}
