namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// A URI as it appears in a Request-URI or a name-addr (RFC 3261 §19.1, §25.1 addr-spec):
/// a SIP/SIPS URI, a tel URI (RFC 3966) or any other absoluteURI, which SIP must carry
/// even when it cannot act on it (RFC 4475 §3.3.2 unksm2).
/// </summary>
public abstract record SipAnyUri(string Scheme, string Text)
{
    public sealed override string ToString() => Text;

    /// <summary>Parses one URI; null when the text is not a URI of any scheme.</summary>
    public static SipAnyUri? TryParse(ReadOnlySpan<char> text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0 || !char.IsAsciiLetter(text[0]))
        {
            return null;
        }

        var scheme = text[..colon];
        foreach (var c in scheme)
        {
            if (!SipGrammar.IsSchemeChar(c))
            {
                return null;
            }
        }

        var rest = text[(colon + 1)..];
        if (scheme.Equals("sip", StringComparison.OrdinalIgnoreCase) || scheme.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            return SipUri.TryParseAfterScheme(scheme.ToString().ToLowerInvariant(), rest, text.ToString());
        }

        if (scheme.Equals("tel", StringComparison.OrdinalIgnoreCase))
        {
            return TelUri.TryParseAfterScheme(rest, text.ToString());
        }

        return OtherUri.TryParseAfterScheme(scheme.ToString(), rest, text.ToString());
    }
}

/// <summary>
/// A sip: or sips: URI (RFC 3261 §19.1.1). User, password, parameter and header values stay
/// escaped as written; <see cref="Unescape"/> decodes them when a comparison needs it (§19.1.4).
/// </summary>
public sealed record SipUri(
    string Scheme,
    string? User,
    string? Password,
    string Host,
    int? Port,
    IReadOnlyList<SipParameter> Parameters,
    IReadOnlyList<SipParameter> Headers,
    string Text) : SipAnyUri(Scheme, Text)
{
    public bool IsSecure => Scheme == "sips";

    /// <summary>The <c>transport</c> URI parameter, lower-cased, if any (§19.1.1).</summary>
    public string? Transport => Parameters.ValueOf("transport")?.ToLowerInvariant();

    /// <summary>Builds a URI from parts, producing the text form as well.</summary>
    public static SipUri Create(string? user, string host, int? port = null, IReadOnlyList<SipParameter>? parameters = null, bool secure = false)
    {
        var scheme = secure ? "sips" : "sip";
        var hostPart = host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
        var ps = parameters ?? [];
        var text = $"{scheme}:{(user is null ? string.Empty : user + "@")}{hostPart}{(port is null ? string.Empty : ":" + port)}{ps.Format()}";
        return new SipUri(scheme, user, null, hostPart, port, ps, [], text);
    }

    internal static SipUri? TryParseAfterScheme(string scheme, ReadOnlySpan<char> rest, string text)
    {
        string? user = null;
        string? password = null;

        // '@' is legal only in userinfo: parameters and headers cannot carry it unescaped.
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            var colon = userInfo.IndexOf(':');
            var userPart = colon >= 0 ? userInfo[..colon] : userInfo;
            if (!SipGrammar.IsEscapedRun(userPart, SipGrammar.IsUserChar))
            {
                return null;
            }

            user = userPart.ToString();
            if (colon >= 0)
            {
                var passwordPart = userInfo[(colon + 1)..];
                if (!SipGrammar.IsEscapedRun(passwordPart, SipGrammar.IsPasswordChar, allowEmpty: true))
                {
                    return null;
                }

                password = passwordPart.ToString();
            }

            rest = rest[(at + 1)..];
        }

        var hostEnd = rest.IndexOfAny(';', '?');
        var hostPort = hostEnd >= 0 ? rest[..hostEnd] : rest;
        if (!SipHost.TryParseHostPort(hostPort, out var host, out var port))
        {
            return null;
        }

        rest = hostEnd >= 0 ? rest[hostEnd..] : [];
        var parameters = new List<SipParameter>();
        while (!rest.IsEmpty && rest[0] == ';')
        {
            rest = rest[1..];
            var end = rest.IndexOfAny(';', '?');
            var item = end >= 0 ? rest[..end] : rest;
            var eq = item.IndexOf('=');
            var name = eq >= 0 ? item[..eq] : item;
            if (!SipGrammar.IsEscapedRun(name, SipGrammar.IsParamChar))
            {
                return null;
            }

            string? value = null;
            if (eq >= 0)
            {
                var v = item[(eq + 1)..];
                if (!SipGrammar.IsEscapedRun(v, SipGrammar.IsParamChar))
                {
                    return null;
                }

                value = v.ToString();
            }

            parameters.Add(new SipParameter(name.ToString(), value));
            rest = end >= 0 ? rest[end..] : [];
        }

        var headers = new List<SipParameter>();
        if (!rest.IsEmpty)
        {
            // rest[0] is '?': headers = "?" header *( "&" header ).
            rest = rest[1..];
            foreach (var range in rest.Split('&'))
            {
                var item = rest[range];
                var eq = item.IndexOf('=');
                if (eq < 0)
                {
                    return null;
                }

                var name = item[..eq];
                var value = item[(eq + 1)..];
                if (!SipGrammar.IsEscapedRun(name, SipGrammar.IsHeaderChar)
                    || !SipGrammar.IsEscapedRun(value, SipGrammar.IsHeaderChar, allowEmpty: true))
                {
                    return null;
                }

                headers.Add(new SipParameter(name.ToString(), value.ToString()));
            }
        }

        return new SipUri(scheme, user, password, host, port, parameters, headers, text);
    }

    /// <summary>Decodes %HH escapes (RFC 3261 §19.1.2) as UTF-8.</summary>
    public static string Unescape(string value)
    {
        if (!value.Contains('%'))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && SipGrammar.IsHex(value[i + 1]) && SipGrammar.IsHex(value[i + 2]))
            {
                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }
}

/// <summary>A tel: URI (RFC 3966): a telephone number and its parameters.</summary>
public sealed record TelUri(string Number, IReadOnlyList<SipParameter> Parameters, string Text) : SipAnyUri("tel", Text)
{
    internal static TelUri? TryParseAfterScheme(ReadOnlySpan<char> rest, string text)
    {
        var semi = rest.IndexOf(';');
        var number = semi >= 0 ? rest[..semi] : rest;
        if (number.IsEmpty)
        {
            return null;
        }

        for (var i = 0; i < number.Length; i++)
        {
            var c = number[i];
            var ok = char.IsAsciiHexDigit(c) || c is '*' or '#' or '-' or '.' or '(' or ')' || (c == '+' && i == 0);
            if (!ok)
            {
                return null;
            }
        }

        var parameters = new List<SipParameter>();
        if (semi >= 0)
        {
            var ps = rest[(semi + 1)..];
            foreach (var range in ps.Split(';'))
            {
                var item = ps[range];
                var eq = item.IndexOf('=');
                var name = eq >= 0 ? item[..eq] : item;
                var value = eq >= 0 ? item[(eq + 1)..] : [];
                if (!SipGrammar.IsEscapedRun(name, SipGrammar.IsParamChar)
                    || (eq >= 0 && !SipGrammar.IsEscapedRun(value, SipGrammar.IsParamChar)))
                {
                    return null;
                }

                parameters.Add(new SipParameter(name.ToString(), eq >= 0 ? value.ToString() : null));
            }
        }

        return new TelUri(number.ToString(), parameters, text);
    }
}

/// <summary>
/// Any other absoluteURI (RFC 2396 via RFC 3261 §25.1): carried opaquely; a Request-URI of
/// this kind is answered 416 (§8.2.2.1).
/// </summary>
public sealed record OtherUri(string Scheme, string Rest, string Text) : SipAnyUri(Scheme, Text)
{
    internal static OtherUri? TryParseAfterScheme(string scheme, ReadOnlySpan<char> rest, string text)
    {
        if (!SipGrammar.IsEscapedRun(rest, SipGrammar.IsUric))
        {
            return null;
        }

        return new OtherUri(scheme, rest.ToString(), text);
    }
}

/// <summary>Host and port syntax shared by URIs and Via sent-by (RFC 3261 §25.1 hostport).</summary>
public static class SipHost
{
    public static bool TryParseHostPort(ReadOnlySpan<char> hostPort, out string host, out int? port)
    {
        host = string.Empty;
        port = null;
        ReadOnlySpan<char> hostPart;
        ReadOnlySpan<char> portPart = [];
        var hasPort = false;
        if (!hostPort.IsEmpty && hostPort[0] == '[')
        {
            var close = hostPort.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            hostPart = hostPort[..(close + 1)];
            var after = hostPort[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':')
                {
                    return false;
                }

                hasPort = true;
                portPart = after[1..];
            }
        }
        else
        {
            var colon = hostPort.IndexOf(':');
            hostPart = colon >= 0 ? hostPort[..colon] : hostPort;
            if (colon >= 0)
            {
                hasPort = true;
                portPart = hostPort[(colon + 1)..];
            }
        }

        if (!IsValidHost(hostPart))
        {
            return false;
        }

        if (hasPort)
        {
            if (!SipGrammar.TryParseDigits(portPart, 65535, out var p))
            {
                return false;
            }

            port = (int)p;
        }

        host = hostPart.ToString();
        return true;
    }

    /// <summary>hostname / IPv4address / IPv6reference (RFC 3261 §25.1).</summary>
    public static bool IsValidHost(ReadOnlySpan<char> host)
    {
        if (host.IsEmpty)
        {
            return false;
        }

        if (host[0] == '[')
        {
            return host.Length > 2 && host[^1] == ']'
                && System.Net.IPAddress.TryParse(host[1..^1], out var v6)
                && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }

        var allDigitsAndDots = true;
        foreach (var c in host)
        {
            if (!char.IsAsciiDigit(c) && c != '.')
            {
                allDigitsAndDots = false;
                break;
            }
        }

        if (allDigitsAndDots)
        {
            return IsIPv4(host);
        }

        var name = host[^1] == '.' ? host[..^1] : host;
        if (name.IsEmpty)
        {
            return false;
        }

        ReadOnlySpan<char> last = [];
        foreach (var range in name.Split('.'))
        {
            var label = name[range];
            if (label.IsEmpty || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }

            last = label;
        }

        // toplabel = ALPHA / ALPHA *( alphanum / "-" ) alphanum
        return char.IsAsciiLetter(last[0]);
    }

    private static bool IsIPv4(ReadOnlySpan<char> host)
    {
        var parts = 0;
        foreach (var range in host.Split('.'))
        {
            parts++;
            if (!SipGrammar.TryParseDigits(host[range], 255, out _) || host[range].Length > 3)
            {
                return false;
            }
        }

        return parts == 4;
    }
}
