namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// Character classes of the RFC 3261 §25.1 ABNF, as lookup tables so the parser never
/// needs regular expressions.
/// </summary>
internal static class SipGrammar
{
    private const string Mark = "-_.!~*'()";

    private static readonly bool[] s_token = Table(Alnum + "-.!%*_+`'~");
    private static readonly bool[] s_unreserved = Table(Alnum + Mark);
    private static readonly bool[] s_userUnreserved = Table("&=+$,;?/");
    private static readonly bool[] s_passwordExtra = Table("&=+$,");
    private static readonly bool[] s_paramUnreserved = Table("[]/:&+$");
    private static readonly bool[] s_headerUnreserved = Table("[]/?:+$");
    private static readonly bool[] s_reserved = Table(";/?:@&=+$,");
    private static readonly bool[] s_callIdWord = Table(Alnum + "-.!%*_+`'~()<>:\\\"/[]?{}");
    private static readonly bool[] s_schemeChar = Table(Alnum + "+-.");

    private const string Alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static bool IsToken(char c) => c < 128 && s_token[c];

    public static bool IsUnreserved(char c) => c < 128 && s_unreserved[c];

    public static bool IsUserChar(char c) => c < 128 && (s_unreserved[c] || s_userUnreserved[c]);

    public static bool IsPasswordChar(char c) => c < 128 && (s_unreserved[c] || s_passwordExtra[c]);

    public static bool IsParamChar(char c) => c < 128 && (s_unreserved[c] || s_paramUnreserved[c]);

    public static bool IsHeaderChar(char c) => c < 128 && (s_unreserved[c] || s_headerUnreserved[c]);

    public static bool IsUric(char c) => c < 128 && (s_unreserved[c] || s_reserved[c]);

    public static bool IsCallIdWordChar(char c) => c < 128 && s_callIdWord[c];

    public static bool IsSchemeChar(char c) => c < 128 && s_schemeChar[c];

    public static bool IsWhitespace(char c) => c is ' ' or '\t';

    public static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    public static bool IsTokenSpan(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!IsToken(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Checks a span made of one character class plus %HH escapes (RFC 3261 §25.1 "escaped").
    /// </summary>
    public static bool IsEscapedRun(ReadOnlySpan<char> s, Func<char, bool> allowed, bool allowEmpty = false)
    {
        if (s.IsEmpty)
        {
            return allowEmpty;
        }

        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length)
                {
                    return false;
                }

                if (!IsHex(s[i + 1]) || !IsHex(s[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (!allowed(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses 1*DIGIT into a non-negative value, refusing overflow past <paramref name="max"/>.</summary>
    public static bool TryParseDigits(ReadOnlySpan<char> s, long max, out long value)
    {
        value = 0;
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
            if (value > max)
            {
                return false;
            }
        }

        return true;
    }

    private static bool[] Table(string chars)
    {
        var table = new bool[128];
        foreach (var c in chars)
        {
            table[c] = true;
        }

        return table;
    }
}
