namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// Canonical header names and the compact forms of RFC 3261 §7.3.3 (and the registered
/// extensions that reuse the mechanism), so lookups work whichever spelling a peer sent.
/// Header names are case-insensitive (§7.3.1).
/// </summary>
public static class SipHeaderNames
{
    public const string Via = "Via";
    public const string From = "From";
    public const string To = "To";
    public const string CallId = "Call-ID";
    public const string CSeq = "CSeq";
    public const string MaxForwards = "Max-Forwards";
    public const string Contact = "Contact";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string ContentEncoding = "Content-Encoding";
    public const string ContentDisposition = "Content-Disposition";
    public const string Route = "Route";
    public const string RecordRoute = "Record-Route";
    public const string Require = "Require";
    public const string ProxyRequire = "Proxy-Require";
    public const string Supported = "Supported";
    public const string Unsupported = "Unsupported";
    public const string Allow = "Allow";
    public const string Accept = "Accept";
    public const string Expires = "Expires";
    public const string Date = "Date";
    public const string Subject = "Subject";
    public const string Authorization = "Authorization";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string Reason = "Reason";
    public const string UserAgent = "User-Agent";
    public const string Server = "Server";
    public const string Event = "Event";
    public const string ReferTo = "Refer-To";
    public const string ReferredBy = "Referred-By";
    public const string AllowEvents = "Allow-Events";
    public const string AcceptContact = "Accept-Contact";
    public const string RejectContact = "Reject-Contact";
    public const string RequestDisposition = "Request-Disposition";
    public const string SessionExpires = "Session-Expires";
    public const string Identity = "Identity";
    public const string IdentityInfo = "Identity-Info";
    public const string RetryAfter = "Retry-After";

    private static readonly Dictionary<string, string> s_canonical = BuildCanonical();

    /// <summary>
    /// The canonical spelling for a known name or compact form; an unknown name is returned
    /// as written (kept verbatim, §7.3).
    /// </summary>
    public static string Canonicalize(string name)
    {
        return s_canonical.TryGetValue(name, out var canonical) ? canonical : name;
    }

    /// <summary>Canonicalizes without allocating when the name is a known one.</summary>
    public static string Canonicalize(ReadOnlySpan<char> name)
    {
        var lookup = s_canonical.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.TryGetValue(name, out var canonical) ? canonical : name.ToString();
    }

    private static Dictionary<string, string> BuildCanonical()
    {
        var names = new[]
        {
            Via, From, To, CallId, CSeq, MaxForwards, Contact, ContentLength, ContentType, ContentEncoding,
            ContentDisposition, Route, RecordRoute, Require, ProxyRequire, Supported, Unsupported, Allow,
            Accept, Expires, Date, Subject, Authorization, WwwAuthenticate, Reason, UserAgent, Server, Event,
            ReferTo, ReferredBy, AllowEvents, AcceptContact, RejectContact, RequestDisposition, SessionExpires,
            Identity, IdentityInfo, RetryAfter, "Accept-Encoding", "Accept-Language", "Alert-Info", "Call-Info",
            "Content-Language", "Error-Info", "In-Reply-To", "Min-Expires", "MIME-Version", "Organization",
            "Priority", "Proxy-Authenticate", "Proxy-Authorization", "Reply-To", "Timestamp", "Warning",
            "Authentication-Info", "RAck", "RSeq", "Min-SE", "P-Asserted-Identity", "Privacy", "Replaces",
        };
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            map[name] = name;
        }

        // RFC 3261 §7.3.3 and the extension registry's compact forms.
        map["i"] = CallId;
        map["m"] = Contact;
        map["e"] = ContentEncoding;
        map["l"] = ContentLength;
        map["c"] = ContentType;
        map["f"] = From;
        map["s"] = Subject;
        map["k"] = Supported;
        map["t"] = To;
        map["v"] = Via;
        map["o"] = Event;
        map["r"] = ReferTo;
        map["b"] = ReferredBy;
        map["u"] = AllowEvents;
        map["a"] = AcceptContact;
        map["j"] = RejectContact;
        map["d"] = RequestDisposition;
        map["x"] = SessionExpires;
        map["y"] = Identity;
        map["n"] = IdentityInfo;
        return map;
    }
}
