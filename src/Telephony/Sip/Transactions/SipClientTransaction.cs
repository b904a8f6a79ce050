using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Sip.Transactions;

/// <summary>
/// A client transaction (RFC 3261 §17.1): retransmits the request over UDP (timers A, E),
/// gives up after 64*T1 (timers B, F) with a 408 for the TU (§8.1.3.1), ACKs non-2xx INVITE
/// finals itself (§17.1.1.3) and absorbs their retransmissions (timers D, K).
/// </summary>
public sealed class SipClientTransaction
{
    private readonly SipTransactionLayer _layer;
    private readonly TransactionTimer _retransmit;
    private readonly TransactionTimer _timeout;
    private readonly TransactionTimer _linger;
    private readonly TaskCompletionSource<SipResponse> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _requestBytes;
    private byte[]? _ackBytes;

    internal SipClientTransaction(SipTransactionLayer layer, string key, SipRequest request, SipRemote remote)
    {
        _layer = layer;
        Key = key;
        Request = request;
        Remote = remote;
        IsInvite = request.Method == "INVITE";
        State = IsInvite ? SipTransactionState.Calling : SipTransactionState.Trying;
        _requestBytes = request.ToBytes();
        _retransmit = layer.CreateTimer(OnRetransmitTimer);
        _timeout = layer.CreateTimer(OnTimeout);
        _linger = layer.CreateTimer(Terminate);
    }

    internal string Key { get; }

    public SipRequest Request { get; }

    public SipRemote Remote { get; }

    public bool IsInvite { get; }

    public SipTransactionState State { get; private set; }

    /// <summary>The first final response, or a locally made 408 when timer B/F fired.</summary>
    public Task<SipResponse> FinalResponse => _final.Task;

    /// <summary>
    /// Whether timer B/F ended the transaction: then <see cref="FinalResponse"/> is the local 408,
    /// which a caller probing reachability must tell apart from a peer's own 408.
    /// </summary>
    public bool TimedOut { get; private set; }

    /// <summary>Whether a provisional response has arrived (CANCEL may be sent only then, §9.1).</summary>
    public bool HasProvisional { get; private set; }

    /// <summary>Each 1xx as it arrives.</summary>
    public event Action<SipResponse>? ProvisionalReceived;

    internal void Start()
    {
        _layer.Send(Remote, _requestBytes);
        if (!Remote.IsReliable)
        {
            _retransmit.Start(_layer.Timers.T1);
        }

        _timeout.Start(_layer.Timers.TransactionTimeout);
    }

    internal void OnResponse(SipResponse response)
    {
        if (response.IsProvisional)
        {
            if (State is SipTransactionState.Calling or SipTransactionState.Trying or SipTransactionState.Proceeding)
            {
                HasProvisional = true;
                if (IsInvite)
                {
                    // §17.1.1.2: no more retransmissions once the server is known to be working on it.
                    _retransmit.Stop();
                    _timeout.Stop();
                }
                else if (State == SipTransactionState.Trying && _retransmit.IsRunning)
                {
                    _retransmit.Start(_layer.Timers.T2);
                }

                State = SipTransactionState.Proceeding;
                _layer.Defer(() => ProvisionalReceived?.Invoke(response));
            }

            return;
        }

        if (State == SipTransactionState.Completed)
        {
            // A retransmitted final: the ACK we sent was lost (§17.1.1.2).
            if (_ackBytes is not null)
            {
                _layer.Send(Remote, _ackBytes);
            }

            return;
        }

        if (State == SipTransactionState.Terminated)
        {
            return;
        }

        _retransmit.Stop();
        _timeout.Stop();
        _final.TrySetResult(response);
        if (IsInvite && response.IsSuccess)
        {
            // The TU ACKs a 2xx itself, end to end (§13.2.2.4).
            Terminate();
            return;
        }

        State = SipTransactionState.Completed;
        if (IsInvite)
        {
            _ackBytes = BuildAck(response).ToBytes();
            _layer.Send(Remote, _ackBytes);
        }

        var linger = Remote.IsReliable ? TimeSpan.Zero : IsInvite ? _layer.Timers.TimerD : _layer.Timers.T4;
        if (linger == TimeSpan.Zero)
        {
            Terminate();
        }
        else
        {
            _linger.Start(linger);
        }
    }

    /// <summary>
    /// Builds the CANCEL for this INVITE (§9.1): same Request-URI, Call-ID, To, From, CSeq
    /// number and top Via (so the same branch), method CANCEL.
    /// </summary>
    public SipRequest BuildCancel()
    {
        var headers = new List<SipHeader>
        {
            new(SipHeaderNames.Via, Request.TopVia!.ToString()),
            new(SipHeaderNames.MaxForwards, "70"),
        };
        CopyHeaders(headers, SipHeaderNames.From, SipHeaderNames.To, SipHeaderNames.CallId, SipHeaderNames.Route);
        headers.Add(new SipHeader(SipHeaderNames.CSeq, $"{Request.CSeq!.Number} CANCEL"));
        return SipRequest.Create("CANCEL", Request.RequestUri, headers);
    }

    /// <summary>The ACK for a non-2xx final (§17.1.1.3): To from the response, one Via, same branch.</summary>
    private SipRequest BuildAck(SipResponse response)
    {
        var headers = new List<SipHeader>
        {
            new(SipHeaderNames.Via, Request.TopVia!.ToString()),
            new(SipHeaderNames.MaxForwards, "70"),
        };
        CopyHeaders(headers, SipHeaderNames.From, SipHeaderNames.CallId, SipHeaderNames.Route);
        headers.Add(new SipHeader(SipHeaderNames.To, response.GetHeader(SipHeaderNames.To) ?? Request.GetHeader(SipHeaderNames.To) ?? string.Empty));
        headers.Add(new SipHeader(SipHeaderNames.CSeq, $"{Request.CSeq!.Number} ACK"));
        return SipRequest.Create("ACK", Request.RequestUri, headers);
    }

    private void CopyHeaders(List<SipHeader> into, params string[] names)
    {
        foreach (var h in Request.Headers)
        {
            if (names.Contains(h.CanonicalName))
            {
                into.Add(new SipHeader(h.CanonicalName, h.Value));
            }
        }
    }

    private void OnRetransmitTimer()
    {
        if (State is not (SipTransactionState.Calling or SipTransactionState.Trying or SipTransactionState.Proceeding))
        {
            return;
        }

        _layer.Send(Remote, _requestBytes);
        // Timer A doubles without bound; timer E doubles up to T2, and sits at T2 once proceeding (§17.1.2.2).
        var next = _retransmit.Interval * 2;
        if (!IsInvite)
        {
            next = State == SipTransactionState.Proceeding || next > _layer.Timers.T2 ? _layer.Timers.T2 : next;
        }

        _retransmit.Start(next);
    }

    private void OnTimeout()
    {
        if (State is SipTransactionState.Calling or SipTransactionState.Trying or SipTransactionState.Proceeding)
        {
            TimedOut = true;
            _final.TrySetResult(SipResponse.For(Request, SipStatus.RequestTimeout));
            Terminate();
        }
    }

    private void Terminate()
    {
        State = SipTransactionState.Terminated;
        _retransmit.Stop();
        _timeout.Stop();
        _linger.Stop();
        _layer.Remove(this);
    }
}
