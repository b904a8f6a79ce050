using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Sip.Transactions;

/// <summary>States of the RFC 3261 §17 state machines (figures 5-8).</summary>
public enum SipTransactionState
{
    Calling,
    Trying,
    Proceeding,
    Completed,
    Confirmed,
    Terminated,
}

/// <summary>
/// A server transaction (RFC 3261 §17.2): absorbs request retransmissions by resending the
/// last response, retransmits INVITE failures until the ACK arrives (timers G, H, I) and
/// keeps non-INVITE finals around for retransmissions (timer J).
/// </summary>
public sealed class SipServerTransaction
{
    private readonly SipTransactionLayer _layer;
    private readonly TransactionTimer _timerG;
    private readonly TransactionTimer _timerH;
    private readonly TransactionTimer _timerIorJ;
    private byte[]? _lastResponseBytes;

    internal SipServerTransaction(SipTransactionLayer layer, string key, SipRequest request, SipRemote remote)
    {
        _layer = layer;
        Key = key;
        Request = request;
        Remote = remote;
        IsInvite = request.Method == "INVITE";
        State = IsInvite ? SipTransactionState.Proceeding : SipTransactionState.Trying;
        _timerG = layer.CreateTimer(OnTimerG);
        _timerH = layer.CreateTimer(OnTimerH);
        _timerIorJ = layer.CreateTimer(Terminate);
    }

    internal string Key { get; }

    internal string? MergeKey { get; set; }

    public SipRequest Request { get; }

    public SipRemote Remote { get; }

    public bool IsInvite { get; }

    public SipTransactionState State { get; private set; }

    public SipResponse? LastResponse { get; private set; }

    /// <summary>A CANCEL matched this INVITE while it was still proceeding (§9.2); the TU should answer 487.</summary>
    public event Action<SipServerTransaction>? Cancelled;

    /// <summary>Timer H fired: the ACK for our failure response never came (§17.2.1).</summary>
    public event Action<SipServerTransaction>? AckTimedOut;

    /// <summary>Sends a response from the TU through the transaction (§17.2.1, §17.2.2).</summary>
    public void Respond(SipResponse response) => _layer.Locked(() => RespondLocked(response));

    internal void RespondLocked(SipResponse response)
    {
        if (State is SipTransactionState.Completed or SipTransactionState.Confirmed or SipTransactionState.Terminated)
        {
            return;
        }

        LastResponse = response;
        _lastResponseBytes = response.ToBytes();
        _layer.Send(Remote, _lastResponseBytes);
        if (response.IsProvisional)
        {
            State = SipTransactionState.Proceeding;
            return;
        }

        if (IsInvite && response.IsSuccess)
        {
            // §17.2.1: a 2xx ends the INVITE server transaction; the TU retransmits it (§13.3.1.4).
            Terminate();
            return;
        }

        State = SipTransactionState.Completed;
        if (IsInvite)
        {
            if (!Remote.IsReliable)
            {
                _timerG.Start(_layer.Timers.T1);
            }

            _timerH.Start(_layer.Timers.TransactionTimeout);
        }
        else if (Remote.IsReliable)
        {
            Terminate();
        }
        else
        {
            _timerIorJ.Start(_layer.Timers.TransactionTimeout);
        }
    }

    /// <summary>The same request again: resend whatever was last sent (§17.2.1, §17.2.2).</summary>
    internal void OnRetransmission()
    {
        if (_lastResponseBytes is not null && State is SipTransactionState.Proceeding or SipTransactionState.Completed)
        {
            _layer.Send(Remote, _lastResponseBytes);
        }
    }

    internal void OnAck()
    {
        if (State != SipTransactionState.Completed || !IsInvite)
        {
            return;
        }

        State = SipTransactionState.Confirmed;
        _timerG.Stop();
        _timerH.Stop();
        if (Remote.IsReliable)
        {
            Terminate();
        }
        else
        {
            _timerIorJ.Start(_layer.Timers.T4);
        }
    }

    internal bool OnCancel()
    {
        if (!IsInvite || State != SipTransactionState.Proceeding)
        {
            return false;
        }

        _layer.Defer(() => Cancelled?.Invoke(this));
        return true;
    }

    private void OnTimerG()
    {
        if (State != SipTransactionState.Completed || _lastResponseBytes is null)
        {
            return;
        }

        _layer.Send(Remote, _lastResponseBytes);
        var next = _timerG.Interval * 2;
        _timerG.Start(next < _layer.Timers.T2 ? next : _layer.Timers.T2);
    }

    private void OnTimerH()
    {
        if (State == SipTransactionState.Completed)
        {
            _layer.Defer(() => AckTimedOut?.Invoke(this));
            Terminate();
        }
    }

    private void Terminate()
    {
        State = SipTransactionState.Terminated;
        _timerG.Stop();
        _timerH.Stop();
        _timerIorJ.Stop();
        _layer.Remove(this);
    }
}
