using Aicc.Telephony.Sip.Messages;

namespace Aicc.Telephony.Sip.Dialogs;

/// <summary>Early until the 2xx, confirmed once it is sent or received, terminated by BYE (§12).</summary>
public enum SipDialogState
{
    Early,
    Confirmed,
    Terminated,
}

/// <summary>
/// A dialog as RFC 3261 §12 defines it: identified by Call-ID and both tags, carrying the
/// remote target, the route set and both CSeq counters. Immutable; updated with <c>with</c>.
/// </summary>
public sealed record SipDialog(
    string CallId,
    string LocalTag,
    string RemoteTag,
    SipNameAddress LocalAddress,
    SipNameAddress RemoteAddress,
    SipAnyUri RemoteTarget,
    IReadOnlyList<string> RouteSet,
    long LocalSequence,
    long RemoteSequence,
    SipDialogState State)
{
    public string Id => DialogId(CallId, LocalTag, RemoteTag);

    public static string DialogId(string callId, string localTag, string remoteTag) => $"{callId}|{localTag}|{remoteTag}";

    /// <summary>
    /// The UAS side of a dialog created by an INVITE (§12.1.1): route set from Record-Route in
    /// order, remote target from Contact, remote sequence from CSeq.
    /// </summary>
    public static SipDialog? ForUas(SipRequest invite, string localTag)
    {
        if (invite.CallId is null || invite.From is null || invite.To is null || invite.CSeq is null)
        {
            return null;
        }

        var target = invite.Contacts.Count > 0 ? invite.Contacts[0].Uri : invite.From.Uri;
        var routes = invite.RecordRoutes.Select(r => r.ToString()).ToList();
        return new SipDialog(
            // An RFC 2543 caller sends no From tag: its remote tag is empty (§12.1.1).
            invite.CallId, localTag, invite.From.Tag ?? string.Empty, invite.To.WithTag(localTag), invite.From, target, routes,
            LocalSequence: 0, RemoteSequence: invite.CSeq.Number, SipDialogState.Early);
    }

    /// <summary>
    /// A request inside the dialog (§12.2.1.1): Request-URI is the remote target, To/From are
    /// the dialog's addresses with tags, CSeq is one more than the last local one.
    /// </summary>
    public (SipDialog Dialog, SipRequest Request) CreateRequest(string method, string via, IEnumerable<SipHeader>? extra = null, ReadOnlyMemory<byte> body = default)
    {
        var sequence = LocalSequence == 0 ? 1 : LocalSequence + 1;
        var headers = new List<SipHeader>
        {
            new(SipHeaderNames.Via, via),
            new(SipHeaderNames.MaxForwards, "70"),
            new(SipHeaderNames.From, LocalAddress.ToString()),
            new(SipHeaderNames.To, RemoteAddress.ToString()),
            new(SipHeaderNames.CallId, CallId),
            new(SipHeaderNames.CSeq, $"{sequence} {method}"),
        };
        headers.AddRange(RouteSet.Select(r => new SipHeader(SipHeaderNames.Route, r)));
        if (extra is not null)
        {
            headers.AddRange(extra);
        }

        return (this with { LocalSequence = sequence }, SipRequest.Create(method, RemoteTarget, headers, body));
    }
}
