using System.Text;

namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// A cursor over one unfolded header value. Folding has already turned every LWS into
/// spaces (RFC 3261 §7.3.1), so SWS here is just SP/HTAB.
/// </summary>
internal ref struct HeaderValueReader(ReadOnlySpan<char> text)
{
    private readonly ReadOnlySpan<char> _text = text;
    private int _pos;

    public readonly bool AtEnd => _pos >= _text.Length;

    public readonly char Peek => _pos < _text.Length ? _text[_pos] : '\0';

    public int Position
    {
        readonly get => _pos;
        set => _pos = value;
    }

    public readonly ReadOnlySpan<char> Remaining => _text[_pos..];

    public readonly ReadOnlySpan<char> Slice(int start, int end) => _text[start..end];

    public void Advance(int count = 1) => _pos += count;

    /// <summary>Skips SWS; returns whether any whitespace was there.</summary>
    public bool SkipWhitespace()
    {
        var start = _pos;
        while (_pos < _text.Length && SipGrammar.IsWhitespace(_text[_pos]))
        {
            _pos++;
        }

        return _pos > start;
    }

    public bool TryConsume(char c)
    {
        if (Peek == c && !AtEnd)
        {
            _pos++;
            return true;
        }

        return false;
    }

    /// <summary>Consumes SWS c SWS (SEMI, COMMA, EQUAL, SLASH, COLON of §25.1).</summary>
    public bool TryConsumeSeparator(char c)
    {
        var save = _pos;
        SkipWhitespace();
        if (TryConsume(c))
        {
            SkipWhitespace();
            return true;
        }

        _pos = save;
        return false;
    }

    public ReadOnlySpan<char> ReadToken()
    {
        var start = _pos;
        while (_pos < _text.Length && SipGrammar.IsToken(_text[_pos]))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    /// <summary>Reads while the predicate holds.</summary>
    public ReadOnlySpan<char> ReadWhile(Func<char, bool> predicate)
    {
        var start = _pos;
        while (_pos < _text.Length && predicate(_text[_pos]))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    /// <summary>
    /// Reads a quoted-string at the cursor (§25.1: qdtext and quoted-pair). Returns the
    /// raw text including quotes, and the unescaped content; false when it is unterminated
    /// or holds a character qdtext forbids.
    /// </summary>
    public bool TryReadQuotedString(out string raw, out string content)
    {
        raw = string.Empty;
        content = string.Empty;
        if (Peek != '"' || AtEnd)
        {
            return false;
        }

        var start = _pos;
        _pos++;
        var builder = new StringBuilder();
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                raw = _text[start.._pos].ToString();
                content = builder.ToString();
                return true;
            }

            if (c == '\\')
            {
                if (_pos + 1 >= _text.Length)
                {
                    return false;
                }

                var escaped = _text[_pos + 1];
                // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                if (escaped is '\n' or '\r' || escaped > '\x7F')
                {
                    return false;
                }

                builder.Append(escaped);
                _pos += 2;
                continue;
            }

            // qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
            if (c < 0x20 && c != '\t')
            {
                return false;
            }

            if (c == 0x7F)
            {
                return false;
            }

            builder.Append(c);
            _pos++;
        }

        return false;
    }

    /// <summary>
    /// Reads <c>*( SEMI generic-param )</c> (§25.1). An empty name, or a value that is neither
    /// token, host nor quoted-string, fails.
    /// </summary>
    public bool TryReadParameters(List<SipParameter> into)
    {
        while (TryConsumeSeparator(';'))
        {
            var name = ReadToken();
            if (name.IsEmpty)
            {
                return false;
            }

            string? value = null;
            if (TryConsumeSeparator('='))
            {
                if (Peek == '"')
                {
                    if (!TryReadQuotedString(out var raw, out _))
                    {
                        return false;
                    }

                    value = raw;
                }
                else
                {
                    var v = ReadWhile(static c => SipGrammar.IsToken(c) || c is ':' or '[' or ']');
                    if (v.IsEmpty)
                    {
                        return false;
                    }

                    value = v.ToString();
                }
            }

            into.Add(new SipParameter(name.ToString(), value));
        }

        return true;
    }
}
