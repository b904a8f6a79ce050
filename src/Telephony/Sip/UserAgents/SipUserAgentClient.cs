using System.Collections.Concurrent;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transactions;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Sip.UserAgents;

/// <summary>
/// The UAC core (RFC 3261 §8.1, §13.2): builds INVITEs with fresh Call-ID, tag and branch,
/// and shares the UAS core's dialog table so BYE and INFO from the far end reach our calls.
/// </summary>
public sealed class SipUserAgentClient
{
    private readonly SipUserAgentServer _uas;
    private readonly ConcurrentDictionary<SipOutgoingCall, string> _dialogOf = new();

    public SipUserAgentClient(SipUserAgentServer uas)
    {
        _uas = uas;
    }

    internal SipUserAgentServer Server => _uas;

    public SipTransactionLayer Transactions => _uas.Transactions;

    public int ActiveCalls => _dialogOf.Count;

    /// <summary>Starts a call: INVITE to <paramref name="target"/>, sent to <paramref name="remote"/>.</summary>
    public SipOutgoingCall Call(SipAnyUri target, SipRemote remote, string fromUser, string? body, string? displayName = null, string contentType = "application/sdp", IEnumerable<SipHeader>? extraHeaders = null, Authentication.SipCredentials? credentials = null)
    {
        var callId = SipTransactionLayer.NewTag() + SipTransactionLayer.NewTag() + "@aicc";
        var ours = (SipUri)SipNameAddress.TryParse(_uas.ContactUri)!.Uri;
        var fromUri = SipUri.Create(fromUser, ours.Host, ours.Port);
        var from = new SipNameAddress(displayName, fromUri, [new SipParameter("tag", SipTransactionLayer.NewTag())], true);
        var to = new SipNameAddress(null, target, [], true);
        var headers = new List<SipHeader>
        {
            new(SipHeaderNames.Via, NewVia(remote.Kind)),
            new(SipHeaderNames.MaxForwards, "70"),
            new(SipHeaderNames.From, from.ToString()),
            new(SipHeaderNames.To, to.ToString()),
            new(SipHeaderNames.CallId, callId),
            new(SipHeaderNames.CSeq, "1 INVITE"),
            new(SipHeaderNames.Contact, $"<{fromUri}>"),
            new(SipHeaderNames.Allow, _uas.Policy.AllowHeader),
        };
        if (extraHeaders is not null)
        {
            headers.AddRange(extraHeaders);
        }

        var bytes = body is null ? ReadOnlyMemory<byte>.Empty : System.Text.Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            headers.Add(new SipHeader(SipHeaderNames.ContentType, contentType));
        }

        var invite = SipRequest.Create("INVITE", target, headers, bytes);
        return new SipOutgoingCall(this, Transactions.SendRequest(invite, remote), credentials);
    }

    internal string NewVia(SipTransportKind kind) => _uas.NewVia(kind);

    internal void Track(SipOutgoingCall call, string dialogId)
    {
        _dialogOf[call] = dialogId;
        _uas.Adopt(dialogId, call);
    }

    internal void Untrack(SipOutgoingCall call)
    {
        if (_dialogOf.TryRemove(call, out var dialogId))
        {
            _uas.Forget(dialogId);
        }
    }
}
