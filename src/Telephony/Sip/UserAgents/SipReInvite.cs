using System.Text;
using Aicc.Telephony.Sip.Dialogs;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transactions;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Sip.UserAgents;

/// <summary>
/// A re-INVITE received in an established dialog (RFC 3261 §14.2): hold, resume or a codec
/// change. The body is an SDP offer (opaque here); the media layer decides and this answers.
/// </summary>
public sealed class SipReInvite
{
    private readonly SipReInvites _owner;
    private readonly SipServerTransaction _transaction;
    private int _answered;

    internal SipReInvite(SipReInvites owner, SipServerTransaction transaction)
    {
        _owner = owner;
        _transaction = transaction;
    }

    public SipRequest Request => _transaction.Request;

    public string? RemoteBody => Request.Body.IsEmpty ? null : Encoding.UTF8.GetString(Request.Body.Span);

    /// <summary>2xx with our Contact and answer, retransmitted until the ACK (§13.3.1.4).</summary>
    public void Accept(string? body, string contentType = "application/sdp")
    {
        if (Interlocked.Exchange(ref _answered, 1) == 0)
        {
            _owner.Accept(_transaction, body, contentType);
        }
    }

    /// <summary>Refuses the change; the session goes on as before (§14.2), 488 by default.</summary>
    public void Reject(int status = SipStatus.NotAcceptableHere)
    {
        if (Interlocked.Exchange(ref _answered, 1) == 0)
        {
            _transaction.Respond(SipResponse.For(Request, status));
        }
    }
}

/// <summary>
/// Re-INVITE handling shared by incoming and outgoing calls: answering received ones (with
/// the 2xx retransmission of §13.3.1.4) and sending our own (§14.1) with the ACK for their
/// 2xx, repeated for each 2xx retransmission (§13.2.2.4). A re-INVITE while one is pending
/// is refused 491 (§14.2).
/// </summary>
internal sealed class SipReInvites(SipUserAgentServer owner, SipRemote remote, Func<SipDialog?> getDialog, Action<SipDialog> setDialog)
{
    private readonly object _gate = new();
    private readonly List<ITimer> _okTimers = [];
    private byte[]? _lastAck;
    private bool _sending;

    public event Action<SipReInvite>? Received;

    public void OnReInvite(SipServerTransaction transaction)
    {
        lock (_gate)
        {
            if (_sending)
            {
                transaction.Respond(SipResponse.For(transaction.Request, 491, "Request Pending"));
                return;
            }
        }

        var reInvite = new SipReInvite(this, transaction);
        var handler = Received;
        if (handler is null)
        {
            reInvite.Reject();
            return;
        }

        handler(reInvite);
    }

    public void Accept(SipServerTransaction transaction, string? body, string contentType)
    {
        var headers = new List<SipHeader> { new(SipHeaderNames.Contact, owner.ContactUri) };
        if (body is not null)
        {
            headers.Add(new SipHeader(SipHeaderNames.ContentType, contentType));
        }

        var ok = SipResponse.For(transaction.Request, SipStatus.Ok, extraHeaders: headers, body: body is null ? default : Encoding.UTF8.GetBytes(body));
        transaction.Respond(ok);
        var bytes = ok.ToBytes();
        var interval = owner.Timers.T1;
        var elapsed = TimeSpan.Zero;
        ITimer? timer = null;
        timer = owner.Time.CreateTimer(_ =>
        {
            lock (_gate)
            {
                if (!_okTimers.Contains(timer!))
                {
                    return;
                }

                elapsed += interval;
                if (elapsed >= owner.Timers.TransactionTimeout)
                {
                    _okTimers.Remove(timer!);
                    timer!.Dispose();
                    return;
                }

                owner.Transactions.SendStateless(bytes, remote);
                interval = interval * 2 < owner.Timers.T2 ? interval * 2 : owner.Timers.T2;
                timer!.Change(interval, Timeout.InfiniteTimeSpan);
            }
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_gate)
        {
            _okTimers.Add(timer);
            timer.Change(interval, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The ACK for a re-INVITE 2xx: stop retransmitting.</summary>
    public void OnAck()
    {
        lock (_gate)
        {
            foreach (var t in _okTimers)
            {
                t.Dispose();
            }

            _okTimers.Clear();
        }
    }

    public async Task<SipResponse> SendAsync(string? body, string contentType)
    {
        SipRequest invite;
        lock (_gate)
        {
            var dialog = getDialog() ?? throw new InvalidOperationException("No dialog to re-INVITE in.");
            if (_sending)
            {
                throw new InvalidOperationException("A re-INVITE is already pending (§14.1).");
            }

            _sending = true;
            var headers = new List<SipHeader> { new(SipHeaderNames.Contact, owner.ContactUri) };
            if (body is not null)
            {
                headers.Add(new SipHeader(SipHeaderNames.ContentType, contentType));
            }

            (dialog, invite) = dialog.CreateRequest("INVITE", owner.NewVia(remote.Kind), headers, body is null ? default : Encoding.UTF8.GetBytes(body));
            setDialog(dialog);
        }

        try
        {
            var response = await owner.Transactions.SendRequest(invite, remote).FinalResponse;
            if (response.IsSuccess)
            {
                var dialog = getDialog()!;
                var headers = new List<SipHeader>
                {
                    new(SipHeaderNames.Via, owner.NewVia(remote.Kind)),
                    new(SipHeaderNames.MaxForwards, "70"),
                    new(SipHeaderNames.From, dialog.LocalAddress.ToString()),
                    new(SipHeaderNames.To, dialog.RemoteAddress.ToString()),
                    new(SipHeaderNames.CallId, dialog.CallId),
                    new(SipHeaderNames.CSeq, $"{invite.CSeq!.Number} ACK"),
                };
                headers.AddRange(dialog.RouteSet.Select(r => new SipHeader(SipHeaderNames.Route, r)));
                var ack = SipRequest.Create("ACK", dialog.RemoteTarget, headers).ToBytes();
                lock (_gate)
                {
                    _lastAck = ack;
                }

                owner.Transactions.SendStateless(ack, remote);
            }

            return response;
        }
        finally
        {
            lock (_gate)
            {
                _sending = false;
            }
        }
    }

    /// <summary>A 2xx for our re-INVITE came again: the ACK was lost (§13.2.2.4).</summary>
    public void OnStray2xx()
    {
        byte[]? ack;
        lock (_gate)
        {
            ack = _lastAck;
        }

        if (ack is not null)
        {
            owner.Transactions.SendStateless(ack, remote);
        }
    }
}
