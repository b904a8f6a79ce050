using System.Globalization;
using Aicc.Telephony.Sip.Messages;

namespace Aicc.Telephony.Sip.UserAgents;

/// <summary>One contact bound to an address-of-record until it expires (RFC 3261 §10.3).</summary>
public sealed record SipBinding(SipNameAddress Contact, string CallId, long CSeq, DateTimeOffset ExpiresAt);

/// <summary>
/// A registrar's binding table (RFC 3261 §10.3): adds, refreshes and removes contacts per
/// address-of-record, with expiry on the injected clock. Contact parameters are kept as the
/// client wrote them, inside or outside the brackets (RFC 4475 §3.3.8). Authentication is
/// a separate concern layered in front of it.
/// </summary>
public sealed class SipRegistrar(TimeProvider time)
{
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromSeconds(3600);
    public static readonly TimeSpan MaxExpiry = TimeSpan.FromSeconds(7200);

    private readonly object _gate = new();
    private readonly Dictionary<string, List<SipBinding>> _bindings = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<SipBinding> Lookup(string addressOfRecord)
    {
        lock (_gate)
        {
            Expire(addressOfRecord);
            return _bindings.TryGetValue(addressOfRecord, out var list) ? list.ToList() : [];
        }
    }

    /// <summary>Processes a REGISTER (§10.3 steps 5-8) and returns the response.</summary>
    public SipResponse Handle(SipRequest request, string toTag)
    {
        var aor = AddressOfRecord(request.To!.Uri);
        var headerExpires = ParseExpires(request.GetHeader(SipHeaderNames.Expires));
        lock (_gate)
        {
            Expire(aor);
            var list = _bindings.TryGetValue(aor, out var existing) ? existing : [];
            if (request.IsWildcardContact)
            {
                if (headerExpires != TimeSpan.Zero || request.Contacts.Count > 0)
                {
                    return SipResponse.For(request, SipStatus.BadRequest, "Wildcard Contact needs Expires: 0", toTag);
                }

                list.Clear();
            }

            var now = time.GetUtcNow();
            foreach (var contact in request.Contacts)
            {
                var expires = ParseExpires(contact.Parameters.ValueOf("expires")) ?? headerExpires ?? DefaultExpiry;
                if (expires > MaxExpiry)
                {
                    expires = MaxExpiry;
                }

                var index = list.FindIndex(b => b.Contact.Uri.Text == contact.Uri.Text);
                if (index >= 0 && list[index].CallId == request.CallId && list[index].CSeq >= request.CSeq!.Number)
                {
                    // §10.3 step 7: an out-of-order REGISTER from the same client.
                    continue;
                }

                if (index >= 0)
                {
                    list.RemoveAt(index);
                }

                if (expires > TimeSpan.Zero)
                {
                    var kept = contact with { Parameters = contact.Parameters.Where(p => !p.Name.Equals("expires", StringComparison.OrdinalIgnoreCase)).ToList() };
                    list.Add(new SipBinding(kept, request.CallId!, request.CSeq!.Number, now + expires));
                }
            }

            _bindings[aor] = list;
            var headers = list.Select(b => new SipHeader(
                SipHeaderNames.Contact,
                (b.Contact with { Parameters = [.. b.Contact.Parameters, new SipParameter("expires", ((long)(b.ExpiresAt - now).TotalSeconds).ToString(CultureInfo.InvariantCulture))] }).ToString()));
            return SipResponse.For(request, SipStatus.Ok, toTag: toTag, extraHeaders: headers.ToList());
        }
    }

    /// <summary>§10.3 step 5: the To URI, scheme and host normalised, URI parameters dropped.</summary>
    public static string AddressOfRecord(SipAnyUri uri) => uri switch
    {
        SipUri sip => $"{sip.Scheme}:{(sip.User is null ? string.Empty : SipUri.Unescape(sip.User) + "@")}{sip.Host.ToLowerInvariant()}",
        _ => uri.Text,
    };

    private static TimeSpan? ParseExpires(string? value)
    {
        if (value is null)
        {
            return null;
        }

        // delta-seconds that overflow are capped, as §20.19 / RFC 4475 §3.1.2.4 allow.
        var trimmed = value.Trim();
        if (trimmed.Length == 0 || !trimmed.All(char.IsAsciiDigit))
        {
            return null;
        }

        return trimmed.Length > 9 ? MaxExpiry : TimeSpan.FromSeconds(long.Parse(trimmed, CultureInfo.InvariantCulture));
    }

    private void Expire(string aor)
    {
        if (_bindings.TryGetValue(aor, out var list))
        {
            var now = time.GetUtcNow();
            list.RemoveAll(b => b.ExpiresAt <= now);
        }
    }
}
