namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// One Via value (RFC 3261 §20.42, §18.2.1): where the response goes back to. The branch
/// identifies the transaction (§17.2.3); received and rport (RFC 3581) record where the
/// request really came from, so responses follow the same path through NATs.
/// </summary>
public sealed record SipVia(string Transport, string Host, int? Port, IReadOnlyList<SipParameter> Parameters)
{
    /// <summary>The RFC 3261 branch prefix that marks a globally unique branch (§8.1.1.7).</summary>
    public const string MagicCookie = "z9hG4bK";

    public string? Branch => Parameters.ValueOf("branch");

    public string? Received => Parameters.ValueOf("received");

    public bool HasRport => Parameters.Has("rport");

    /// <summary>The rport value filled in by the server (RFC 3581 §4); null when absent or empty.</summary>
    public int? Rport => int.TryParse(Parameters.ValueOf("rport"), out var p) ? p : null;

    public string? Maddr => Parameters.ValueOf("maddr");

    public bool HasRfc3261Branch => Branch?.StartsWith(MagicCookie, StringComparison.Ordinal) == true;

    public string SentBy => Port is null ? Host : $"{Host}:{Port}";

    public override string ToString() => $"SIP/2.0/{Transport} {SentBy}{Parameters.Format()}";

    /// <summary>Replaces or adds one parameter (for received/rport stamping, §18.2.1).</summary>
    public SipVia WithParameter(string name, string? value)
    {
        var ps = new List<SipParameter>(Parameters.Count + 1);
        var replaced = false;
        foreach (var p in Parameters)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                ps.Add(new SipParameter(p.Name, value));
                replaced = true;
            }
            else
            {
                ps.Add(p);
            }
        }

        if (!replaced)
        {
            ps.Add(new SipParameter(name, value));
        }

        return this with { Parameters = ps };
    }

    /// <summary>Parses a Via header value, which may hold several comma-separated via-parms.</summary>
    public static bool TryParseList(ReadOnlySpan<char> value, List<SipVia> into)
    {
        var reader = new HeaderValueReader(value);
        reader.SkipWhitespace();
        while (true)
        {
            var protocol = reader.ReadToken();
            if (!protocol.Equals("SIP", StringComparison.OrdinalIgnoreCase) || !reader.TryConsumeSeparator('/'))
            {
                return false;
            }

            var version = reader.ReadToken();
            if (!version.SequenceEqual("2.0") || !reader.TryConsumeSeparator('/'))
            {
                return false;
            }

            var transport = reader.ReadToken();
            if (transport.IsEmpty || !reader.SkipWhitespace())
            {
                return false;
            }

            var hostStart = reader.Position;
            reader.ReadWhile(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '[' or ']' || (c == ':'));
            var hostPort = reader.Slice(hostStart, reader.Position);
            // COLON = SWS ":" SWS: a port may follow after whitespace.
            var save = reader.Position;
            string host;
            int? port;
            if (hostPort.IndexOf(':') < 0 || hostPort[0] == '[' && hostPort[^1] == ']')
            {
                if (!SipHost.IsValidHost(hostPort))
                {
                    return false;
                }

                host = hostPort.ToString();
                port = null;
                if (reader.TryConsumeSeparator(':'))
                {
                    var digits = reader.ReadWhile(char.IsAsciiDigit);
                    if (!SipGrammar.TryParseDigits(digits, 65535, out var p))
                    {
                        return false;
                    }

                    port = (int)p;
                }
                else
                {
                    reader.Position = save;
                }
            }
            else if (!SipHost.TryParseHostPort(hostPort, out host, out port))
            {
                return false;
            }

            var parameters = new List<SipParameter>();
            if (!reader.TryReadParameters(parameters))
            {
                return false;
            }

            into.Add(new SipVia(transport.ToString().ToUpperInvariant(), host, port, parameters));
            if (reader.TryConsumeSeparator(','))
            {
                continue;
            }

            reader.SkipWhitespace();
            return reader.AtEnd;
        }
    }
}
