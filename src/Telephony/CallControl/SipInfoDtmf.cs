namespace Aicc.Telephony.CallControl;

/// <summary>
/// Reads a DTMF digit out of a SIP INFO body. Two formats are in use: application/dtmf-relay
/// ("Signal=5" and "Duration=160" lines, the de-facto Cisco format most phones send) and
/// application/dtmf (the digit alone). Pure so it is tested apart from the SIP stack.
/// </summary>
public static class SipInfoDtmf
{
    public static bool TryParse(string? contentType, string? body, out char digit, out int durationMs)
    {
        digit = '\0';
        durationMs = 100;
        if (contentType is null || body is null)
        {
            return false;
        }

        var type = contentType.Split(';')[0].Trim();
        if (type.Equals("application/dtmf", StringComparison.OrdinalIgnoreCase))
        {
            return TryDigit(body.Trim(), out digit);
        }

        if (!type.Equals("application/dtmf-relay", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var found = false;
        foreach (var line in body.Split('\n'))
        {
            var equals = line.IndexOf('=');
            if (equals < 0)
            {
                continue;
            }

            var name = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (name.Equals("Signal", StringComparison.OrdinalIgnoreCase))
            {
                found = TryDigit(value, out digit);
            }
            else if (name.Equals("Duration", StringComparison.OrdinalIgnoreCase) && int.TryParse(value, out var duration) && duration > 0)
            {
                durationMs = duration;
            }
        }

        return found;
    }

    private static bool TryDigit(string value, out char digit)
    {
        digit = '\0';
        if (value.Length == 1 && "0123456789*#ABCDabcd".Contains(value[0]))
        {
            digit = char.ToUpperInvariant(value[0]);
            return true;
        }

        // Some phones send the RFC 4733 event code: 10 for *, 11 for #.
        if (int.TryParse(value, out var code) && code is >= 0 and <= 15)
        {
            digit = "0123456789*#ABCD"[code];
            return true;
        }

        return false;
    }
}
