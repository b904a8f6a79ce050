using System.Text;
using Aicc.Telephony.Sip.Dialogs;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transactions;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Sip.UserAgents;

/// <summary>How an outgoing call ended.</summary>
public enum SipOutgoingCallEnd
{
    Failed,
    Cancelled,
    WeHungUp,
    RemoteHungUp,
}

/// <summary>
/// The UAC side of one INVITE (RFC 3261 §13.2): provisional responses, the 2xx that makes
/// the dialog (§12.1.2) and its ACK, sent again for each 2xx retransmission (§13.2.2.4),
/// CANCEL while ringing (§9.1), BYE either way (§15).
/// </summary>
public sealed class SipOutgoingCall : ISipDialogUsage
{
    private readonly SipUserAgentClient _owner;
    private readonly object _gate = new();
    private readonly TaskCompletionSource<SipResponse> _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<SipOutgoingCallEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _ackBytes;
    private bool _cancelRequested;

    private readonly SipReInvites _reInvites;

    private readonly Authentication.SipCredentials? _credentials;
    private bool _authenticated;

    internal SipOutgoingCall(SipUserAgentClient owner, SipClientTransaction invite, Authentication.SipCredentials? credentials = null)
    {
        _owner = owner;
        _credentials = credentials;
        Invite = invite;
        _reInvites = new SipReInvites(owner.Server, invite.Remote, () => Dialog, d => Dialog = d);
        Attach(invite);
    }

    /// <summary>The current INVITE transaction (a new one after answering a 401/407 challenge).</summary>
    public SipClientTransaction Invite { get; private set; }

    public SipRemote Remote => Invite.Remote;

    public SipDialog? Dialog { get; private set; }

    /// <summary>The final response: 2xx when answered, otherwise the failure (408 on timeout).</summary>
    public Task<SipResponse> Answered => _answered.Task;

    public Task<SipOutgoingCallEnd> Ended => _ended.Task;

    public string? RemoteBody { get; private set; }

    public event Action<SipOutgoingCall, SipResponse>? Provisional;

    /// <summary>The callee changed the session (hold, resume, codecs): accept or reject it (§14.2).</summary>
    public event Action<SipReInvite>? ReInviteReceived
    {
        add => _reInvites.Received += value;
        remove => _reInvites.Received -= value;
    }

    /// <summary>Sends a re-INVITE with a new offer (hold/resume, §14.1); returns the final response.</summary>
    public Task<SipResponse> ReInviteAsync(string? body, string contentType = "application/sdp") => _reInvites.SendAsync(body, contentType);

    /// <summary>Sends CANCEL once a provisional response has arrived (§9.1), or as soon as one does.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            if (_answered.Task.IsCompleted)
            {
                return;
            }

            _cancelRequested = true;
            if (!Invite.HasProvisional)
            {
                return;
            }
        }

        _owner.Transactions.SendRequest(Invite.BuildCancel(), Remote);
    }

    /// <summary>Sends BYE in the confirmed dialog (§15.1.1).</summary>
    public SipClientTransaction? HangUp()
    {
        SipRequest bye;
        lock (_gate)
        {
            if (Dialog is null || _ended.Task.IsCompleted)
            {
                return null;
            }

            (var dialog, bye) = Dialog.CreateRequest("BYE", _owner.NewVia(Remote.Kind));
            Dialog = dialog with { State = SipDialogState.Terminated };
        }

        End(SipOutgoingCallEnd.WeHungUp);
        return _owner.Transactions.SendRequest(bye, Remote);
    }

    void ISipDialogUsage.OnStray2xx(SipResponse response)
    {
        byte[]? ack;
        lock (_gate)
        {
            ack = _ackBytes;
        }

        // CSeq tells a retransmitted 2xx of the first INVITE from one of a later re-INVITE.
        if (response.CSeq?.Number == Invite.Request.CSeq!.Number)
        {
            if (ack is not null)
            {
                _owner.Transactions.SendStateless(ack, Remote);
            }
        }
        else
        {
            _reInvites.OnStray2xx();
        }
    }

    private void OnProvisional(SipResponse response)
    {
        bool cancel;
        lock (_gate)
        {
            cancel = _cancelRequested;
            _cancelRequested = false;
        }

        if (cancel)
        {
            _owner.Transactions.SendRequest(Invite.BuildCancel(), Remote);
        }

        Provisional?.Invoke(this, response);
    }

    private void Attach(SipClientTransaction invite)
    {
        invite.ProvisionalReceived += OnProvisional;
        _ = invite.FinalResponse.ContinueWith(t => OnFinal(t.Result), TaskScheduler.Default);
    }

    /// <summary>
    /// §22.2: a trunk challenged our INVITE; send it again with the same Call-ID and From tag, the
    /// next CSeq, a new branch and the credentials. Only once: a second challenge is a failure.
    /// </summary>
    private bool TryAuthenticate(SipResponse response)
    {
        if (_credentials is null || _authenticated || response.StatusCode is not (SipStatus.Unauthorized or SipStatus.ProxyAuthenticationRequired))
        {
            return false;
        }

        var proxy = response.StatusCode == SipStatus.ProxyAuthenticationRequired;
        var previous = Invite.Request;
        var answer = Authentication.DigestClient.Answer(response.GetHeaders(proxy ? "Proxy-Authenticate" : SipHeaderNames.WwwAuthenticate), _credentials, "INVITE", previous.RequestUri.Text);
        lock (_gate)
        {
            if (answer is null || _cancelRequested)
            {
                return false;
            }

            _authenticated = true;
        }

        var headers = new List<SipHeader> { new(SipHeaderNames.Via, _owner.NewVia(Remote.Kind)) };
        foreach (var header in previous.Headers)
        {
            if (header.Is(SipHeaderNames.Via) || header.Is(SipHeaderNames.ContentLength) || header.Is(SipHeaderNames.Authorization) || header.Is("Proxy-Authorization"))
            {
                continue;
            }

            headers.Add(header.Is(SipHeaderNames.CSeq) ? new SipHeader(SipHeaderNames.CSeq, $"{previous.CSeq!.Number + 1} INVITE") : header);
        }

        headers.Add(new SipHeader(proxy ? "Proxy-Authorization" : SipHeaderNames.Authorization, answer));
        var retry = _owner.Transactions.SendRequest(SipRequest.Create("INVITE", previous.RequestUri, headers, previous.Body), Remote);
        Invite = retry;
        Attach(retry);
        return true;
    }

    private void OnFinal(SipResponse response)
    {
        if (!response.IsSuccess && TryAuthenticate(response))
        {
            return;
        }

        if (!response.IsSuccess)
        {
            _answered.TrySetResult(response);
            End(response.StatusCode == SipStatus.RequestTerminated ? SipOutgoingCallEnd.Cancelled : SipOutgoingCallEnd.Failed);
            return;
        }

        var request = Invite.Request;
        var target = response.Contacts.Count > 0 ? response.Contacts[0].Uri : request.RequestUri;
        // §12.1.2: the UAC's route set is the Record-Route of the 2xx in reverse order.
        var routes = response.RecordRoutes.Select(r => r.ToString()).Reverse().ToList();
        var dialog = new SipDialog(
            request.CallId!, request.From!.Tag!, response.To?.Tag ?? string.Empty, request.From, response.To ?? request.To!,
            target, routes, request.CSeq!.Number, 0, SipDialogState.Confirmed);

        // §13.2.2.4: the ACK for a 2xx is a new transaction-less request, CSeq number of the INVITE.
        var headers = new List<SipHeader>
        {
            new(SipHeaderNames.Via, _owner.NewVia(Remote.Kind)),
            new(SipHeaderNames.MaxForwards, "70"),
            new(SipHeaderNames.From, dialog.LocalAddress.ToString()),
            new(SipHeaderNames.To, dialog.RemoteAddress.ToString()),
            new(SipHeaderNames.CallId, dialog.CallId),
            new(SipHeaderNames.CSeq, $"{request.CSeq.Number} ACK"),
        };
        headers.AddRange(routes.Select(r => new SipHeader(SipHeaderNames.Route, r)));
        var ack = SipRequest.Create("ACK", target, headers);
        lock (_gate)
        {
            Dialog = dialog;
            _ackBytes = ack.ToBytes();
            RemoteBody = response.Body.IsEmpty ? null : Encoding.UTF8.GetString(response.Body.Span);
        }

        _owner.Track(this, dialog.Id);
        _owner.Transactions.SendStateless(_ackBytes, Remote);
        _answered.TrySetResult(response);
    }

    void ISipDialogUsage.OnAck() => _reInvites.OnAck();

    void ISipDialogUsage.OnReInvite(SipServerTransaction transaction) => _reInvites.OnReInvite(transaction);

    bool ISipDialogUsage.AcceptRemoteSequence(long sequence)
    {
        lock (_gate)
        {
            if (Dialog is null)
            {
                return true;
            }

            if (Dialog.RemoteSequence != 0 && sequence < Dialog.RemoteSequence)
            {
                return false;
            }

            Dialog = Dialog with { RemoteSequence = sequence };
            return true;
        }
    }

    void ISipDialogUsage.OnBye(SipServerTransaction transaction)
    {
        transaction.Respond(SipResponse.For(transaction.Request, SipStatus.Ok));
        End(SipOutgoingCallEnd.RemoteHungUp);
    }

    void ISipDialogUsage.OnInfo(SipServerTransaction transaction)
    {
        transaction.Respond(SipResponse.For(transaction.Request, SipStatus.Ok));
        InfoReceived?.Invoke(this, transaction.Request);
    }

    /// <summary>NOTIFY inside the dialog (progress of a REFER we sent, RFC 3515), already answered 200.</summary>
    public event Action<SipOutgoingCall, SipRequest>? NotifyReceived;

    /// <summary>INFO inside the dialog (DTMF relay, RFC 6086), already answered 200.</summary>
    public event Action<SipOutgoingCall, SipRequest>? InfoReceived;

    /// <summary>Sends another request inside the confirmed dialog (REFER, INFO, §12.2.1.1); null when there is no dialog.</summary>
    public SipClientTransaction? SendInDialog(string method, IEnumerable<SipHeader>? headers = null, ReadOnlyMemory<byte> body = default)
    {
        SipRequest request;
        lock (_gate)
        {
            if (Dialog is null || _ended.Task.IsCompleted)
            {
                return null;
            }

            (var dialog, request) = Dialog.CreateRequest(method, _owner.NewVia(Remote.Kind), headers, body);
            Dialog = dialog;
        }

        return _owner.Transactions.SendRequest(request, Remote);
    }

    private void End(SipOutgoingCallEnd reason)
    {
        if (_ended.TrySetResult(reason))
        {
            _owner.Untrack(this);
        }
    }

    void ISipDialogUsage.OnNotify(SipServerTransaction transaction)
    {
        transaction.Respond(SipResponse.For(transaction.Request, SipStatus.Ok));
        NotifyReceived?.Invoke(this, transaction.Request);
    }
}
