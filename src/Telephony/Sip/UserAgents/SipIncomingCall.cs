using System.Text;
using Aicc.Telephony.Sip.Dialogs;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transactions;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Sip.UserAgents;

/// <summary>Why an incoming call ended.</summary>
public enum SipCallEndReason
{
    Rejected,
    CallerCancelled,
    CallerHungUp,
    WeHungUp,
    AckTimedOut,
}

/// <summary>
/// The UAS side of one INVITE (RFC 3261 §13.3): ring, answer with a body the media layer
/// supplies (SDP is opaque here), reject, hang up; retransmits the 2xx until the ACK
/// (§13.3.1.4) and reacts to CANCEL (§9.2) and BYE (§15.1.2).
/// </summary>
public sealed class SipIncomingCall : ISipDialogUsage
{
    private readonly SipUserAgentServer _owner;
    private readonly SipServerTransaction _transaction;
    private readonly object _gate = new();
    private ITimer? _okTimer;
    private TimeSpan _okInterval;
    private TimeSpan _okElapsed;
    private byte[]? _okBytes;

    private readonly SipReInvites _reInvites;

    internal SipIncomingCall(SipUserAgentServer owner, SipServerTransaction transaction, SipDialog dialog)
    {
        _owner = owner;
        _transaction = transaction;
        Dialog = dialog;
        Remote = transaction.Remote;
        _reInvites = new SipReInvites(owner, Remote, () => IsConfirmed ? Dialog : null, d => Dialog = d);
    }

    /// <summary>The caller changed the session (hold, resume, codecs): accept or reject it (§14.2).</summary>
    public event Action<SipReInvite>? ReInviteReceived
    {
        add => _reInvites.Received += value;
        remove => _reInvites.Received -= value;
    }

    /// <summary>Sends a re-INVITE with a new offer (hold/resume, §14.1); returns the final response.</summary>
    public Task<SipResponse> ReInviteAsync(string? body, string contentType = "application/sdp") => _reInvites.SendAsync(body, contentType);

    public SipRequest Invite => _transaction.Request;

    public SipRemote Remote { get; }

    /// <summary>Where the INVITE server transaction is (§17.2.1): Confirmed once our failure response was ACKed.</summary>
    public SipTransactionState InviteState => _transaction.State;

    public SipDialog Dialog { get; private set; }

    /// <summary>The offer, as text (the media layer parses it).</summary>
    public string? RemoteBody => Invite.Body.IsEmpty ? null : Encoding.UTF8.GetString(Invite.Body.Span);

    public bool IsAnswered { get; private set; }

    public bool IsConfirmed { get; private set; }

    public SipCallEndReason? EndReason { get; private set; }

    /// <summary>The ACK for our 2xx arrived (§13.3.1.4).</summary>
    public event Action<SipIncomingCall>? Confirmed;

    public event Action<SipIncomingCall, SipCallEndReason>? Ended;

    /// <summary>NOTIFY inside the dialog (progress of a REFER we sent, RFC 3515), already answered 200.</summary>
    public event Action<SipIncomingCall, SipRequest>? NotifyReceived;

    /// <summary>INFO inside the dialog (DTMF relay, RFC 6086), already answered 200.</summary>
    public event Action<SipIncomingCall, SipRequest>? InfoReceived;

    public void Ring() => Respond(SipStatus.Ringing);

    /// <summary>Sends 2xx with our Contact and the answer body, then retransmits it until the ACK.</summary>
    public void Answer(string? body, string contentType = "application/sdp")
    {
        lock (_gate)
        {
            if (IsAnswered || EndReason is not null)
            {
                return;
            }

            IsAnswered = true;
            var headers = new List<SipHeader>(_owner.DialogHeaders(Invite));
            var bytes = body is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(body);
            if (body is not null)
            {
                headers.Add(new SipHeader(SipHeaderNames.ContentType, contentType));
            }

            var ok = SipResponse.For(Invite, SipStatus.Ok, toTag: Dialog.LocalTag, extraHeaders: headers, body: bytes);
            Dialog = Dialog with { State = SipDialogState.Confirmed };
            _okBytes = ok.ToBytes();
            _transaction.Respond(ok);
            _okInterval = _owner.Timers.T1;
            _okTimer = _owner.Time.CreateTimer(_ => RetransmitOk(), null, _okInterval, Timeout.InfiniteTimeSpan);
        }
    }

    public void Reject(int status, string? reason = null)
    {
        lock (_gate)
        {
            if (IsAnswered || EndReason is not null)
            {
                return;
            }

            _transaction.Respond(SipResponse.For(Invite, status, reason, Dialog.LocalTag));
        }

        End(SipCallEndReason.Rejected);
    }

    /// <summary>Sends BYE in the dialog (§15.1.1).</summary>
    public SipClientTransaction? HangUp()
    {
        SipRequest bye;
        lock (_gate)
        {
            if (!IsAnswered || EndReason is not null)
            {
                return null;
            }

            (Dialog, bye) = Dialog.CreateRequest("BYE", _owner.NewVia(Remote.Kind));
            StopOkTimer();
        }

        End(SipCallEndReason.WeHungUp);
        return _owner.Transactions.SendRequest(bye, Remote);
    }

    /// <summary>Sends another request inside the confirmed dialog (REFER, INFO, §12.2.1.1); null before the answer or after the end.</summary>
    public SipClientTransaction? SendInDialog(string method, IEnumerable<SipHeader>? headers = null, ReadOnlyMemory<byte> body = default)
    {
        SipRequest request;
        lock (_gate)
        {
            if (!IsAnswered || EndReason is not null)
            {
                return null;
            }

            (Dialog, request) = Dialog.CreateRequest(method, _owner.NewVia(Remote.Kind), headers, body);
        }

        return _owner.Transactions.SendRequest(request, Remote);
    }

    internal void OnCancel()
    {
        lock (_gate)
        {
            if (IsAnswered || EndReason is not null)
            {
                return;
            }

            _transaction.Respond(SipResponse.For(Invite, SipStatus.RequestTerminated, toTag: Dialog.LocalTag));
        }

        End(SipCallEndReason.CallerCancelled);
    }

    void ISipDialogUsage.OnAck()
    {
        OnAck();
        _reInvites.OnAck();
    }

    void ISipDialogUsage.OnReInvite(SipServerTransaction transaction) => _reInvites.OnReInvite(transaction);

    bool ISipDialogUsage.AcceptRemoteSequence(long sequence)
    {
        lock (_gate)
        {
            if (Dialog.RemoteSequence != 0 && sequence < Dialog.RemoteSequence)
            {
                return false;
            }

            Dialog = Dialog with { RemoteSequence = sequence };
            return true;
        }
    }

    void ISipDialogUsage.OnStray2xx(SipResponse response) => _reInvites.OnStray2xx();

    void ISipDialogUsage.OnBye(SipServerTransaction transaction) => OnBye(transaction);

    void ISipDialogUsage.OnInfo(SipServerTransaction transaction) => OnInfo(transaction);

    internal void OnAck()
    {
        lock (_gate)
        {
            if (IsConfirmed || !IsAnswered)
            {
                return;
            }

            IsConfirmed = true;
            StopOkTimer();
        }

        Confirmed?.Invoke(this);
    }

    internal void OnBye(SipServerTransaction transaction)
    {
        transaction.Respond(SipResponse.For(transaction.Request, SipStatus.Ok));
        lock (_gate)
        {
            StopOkTimer();
        }

        End(SipCallEndReason.CallerHungUp);
    }

    internal void OnInfo(SipServerTransaction transaction)
    {
        transaction.Respond(SipResponse.For(transaction.Request, SipStatus.Ok));
        InfoReceived?.Invoke(this, transaction.Request);
    }

    private void Respond(int status)
    {
        lock (_gate)
        {
            if (IsAnswered || EndReason is not null)
            {
                return;
            }

            _transaction.Respond(SipResponse.For(Invite, status, toTag: Dialog.LocalTag, extraHeaders: _owner.DialogHeaders(Invite)));
        }
    }

    /// <summary>§13.3.1.4: 2xx again at T1, 2*T1 ... capped at T2, for 64*T1, then give up and BYE.</summary>
    private void RetransmitOk()
    {
        var giveUp = false;
        lock (_gate)
        {
            if (_okTimer is null || IsConfirmed || _okBytes is null)
            {
                return;
            }

            _okElapsed += _okInterval;
            if (_okElapsed >= _owner.Timers.TransactionTimeout)
            {
                StopOkTimer();
                giveUp = true;
            }
            else
            {
                _owner.Transactions.SendStateless(_okBytes, Remote);
                var next = _okInterval * 2 < _owner.Timers.T2 ? _okInterval * 2 : _owner.Timers.T2;
                var remaining = _owner.Timers.TransactionTimeout - _okElapsed;
                _okInterval = next < remaining ? next : remaining;
                _okTimer.Change(_okInterval, Timeout.InfiniteTimeSpan);
            }
        }

        if (giveUp)
        {
            SipRequest bye;
            lock (_gate)
            {
                (Dialog, bye) = Dialog.CreateRequest("BYE", _owner.NewVia(Remote.Kind));
            }

            _owner.Transactions.SendRequest(bye, Remote);
            End(SipCallEndReason.AckTimedOut);
        }
    }

    private void StopOkTimer()
    {
        _okTimer?.Dispose();
        _okTimer = null;
    }

    private void End(SipCallEndReason reason)
    {
        lock (_gate)
        {
            if (EndReason is not null)
            {
                return;
            }

            EndReason = reason;
            Dialog = Dialog with { State = SipDialogState.Terminated };
        }

        _owner.Forget(this);
        Ended?.Invoke(this, reason);
    }

    void ISipDialogUsage.OnNotify(SipServerTransaction transaction)
    {
        transaction.Respond(SipResponse.For(transaction.Request, SipStatus.Ok));
        NotifyReceived?.Invoke(this, transaction.Request);
    }
}
