namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// The CSeq header (RFC 3261 §20.16): orders requests in a dialog and, with the method,
/// ties a response to its request. The number must stay below 2^31 (§8.1.1.5).
/// </summary>
public sealed record SipCSeq(long Number, string Method)
{
    public const long MaxNumber = (1L << 31) - 1;

    public override string ToString() => $"{Number} {Method}";

    public static SipCSeq? TryParse(ReadOnlySpan<char> value)
    {
        var reader = new HeaderValueReader(value);
        reader.SkipWhitespace();
        var digits = reader.ReadWhile(char.IsAsciiDigit);
        if (!SipGrammar.TryParseDigits(digits, MaxNumber, out var number) || !reader.SkipWhitespace())
        {
            return null;
        }

        var method = reader.ReadToken();
        reader.SkipWhitespace();
        if (method.IsEmpty || !reader.AtEnd)
        {
            return null;
        }

        return new SipCSeq(number, method.ToString());
    }
}

/// <summary>
/// A media type with parameters, as in Content-Type and Accept (RFC 3261 §20.15, §20.1).
/// Type and subtype compare case-insensitively.
/// </summary>
public sealed record SipMediaType(string Type, string SubType, IReadOnlyList<SipParameter> Parameters)
{
    public string Essence => $"{Type}/{SubType}".ToLowerInvariant();

    public override string ToString() => $"{Type}/{SubType}{Parameters.Format()}";

    public bool Matches(string type, string subType) =>
        (Type == "*" || string.Equals(Type, type, StringComparison.OrdinalIgnoreCase))
        && (SubType == "*" || string.Equals(SubType, subType, StringComparison.OrdinalIgnoreCase));

    public static SipMediaType? TryParse(ReadOnlySpan<char> value)
    {
        var list = new List<SipMediaType>();
        return TryParseList(value, list) && list.Count == 1 ? list[0] : null;
    }

    /// <summary>Parses a comma-separated media-range list; an empty value is an empty list (§20.1).</summary>
    public static bool TryParseList(ReadOnlySpan<char> value, List<SipMediaType> into)
    {
        var reader = new HeaderValueReader(value);
        reader.SkipWhitespace();
        if (reader.AtEnd)
        {
            return true;
        }

        while (true)
        {
            var type = reader.ReadToken();
            if (type.IsEmpty || !reader.TryConsumeSeparator('/'))
            {
                return false;
            }

            var subType = reader.ReadToken();
            if (subType.IsEmpty)
            {
                return false;
            }

            var parameters = new List<SipParameter>();
            if (!reader.TryReadParameters(parameters))
            {
                return false;
            }

            into.Add(new SipMediaType(type.ToString(), subType.ToString(), parameters));
            if (reader.TryConsumeSeparator(','))
            {
                continue;
            }

            reader.SkipWhitespace();
            return reader.AtEnd;
        }
    }
}
