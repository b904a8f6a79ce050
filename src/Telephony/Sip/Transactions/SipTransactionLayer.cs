using System.Security.Cryptography;
using System.Threading.Channels;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Sip.Transactions;

/// <summary>
/// Matches messages to transactions (RFC 3261 §17.1.3, §17.2.3), creates server
/// transactions for new requests, detects merged requests (§8.2.2.2) and answers CANCEL
/// (§9.2). Everything runs under one lock: state changes are tiny and a single lock keeps
/// timer ticks and arriving messages from racing. Callbacks to the TU run after the lock is
/// released. Outbound bytes go to a bounded channel that the transport drains; when it is
/// full the message is dropped, as UDP would, and retransmission covers it.
/// </summary>
public sealed class SipTransactionLayer
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly ChannelWriter<SipOutbound> _outbound;
    private readonly Dictionary<string, SipServerTransaction> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SipClientTransaction> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SipServerTransaction> _merge = new(StringComparer.Ordinal);
    private readonly List<Action> _deferred = [];

    public SipTransactionLayer(TimeProvider time, ChannelWriter<SipOutbound> outbound, SipTimers? timers = null)
    {
        _time = time;
        _outbound = outbound;
        Timers = timers ?? SipTimers.Default;
    }

    public SipTimers Timers { get; }

    /// <summary>Outbound messages dropped because the transport queue was full.</summary>
    public long DroppedSends { get; private set; }

    public int ServerTransactionCount
    {
        get
        {
            lock (_gate)
            {
                return _servers.Count;
            }
        }
    }

    public int ClientTransactionCount
    {
        get
        {
            lock (_gate)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>A new request that is not a retransmission: the TU must answer it through the transaction.</summary>
    public event Action<SipServerTransaction>? RequestReceived;

    /// <summary>An ACK that matches no transaction: the ACK for a 2xx, which belongs to the dialog (§13.3.1.4).</summary>
    public event Action<SipRequest, SipRemote>? AckReceived;

    /// <summary>A response no client transaction wants (2xx retransmissions after the INVITE transaction ended, §13.2.2.4).</summary>
    public event Action<SipResponse, SipRemote>? StrayResponseReceived;

    /// <summary>A fresh branch with the RFC 3261 magic cookie (§8.1.1.7).</summary>
    public static string NewBranch() => SipVia.MagicCookie + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    /// <summary>A fresh tag for From/To (§19.3: at least 32 bits of randomness).</summary>
    public static string NewTag() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>Starts a client transaction for a request whose top Via carries a fresh branch.</summary>
    public SipClientTransaction SendRequest(SipRequest request, SipRemote remote)
    {
        if (request.TopVia?.Branch is null || request.CSeq is null)
        {
            throw new ArgumentException("A request sent through a transaction needs a Via branch and a CSeq.", nameof(request));
        }

        SipClientTransaction transaction = null!;
        Locked(() =>
        {
            var key = ClientKey(request.TopVia.Branch, request.CSeq.Method);
            transaction = new SipClientTransaction(this, key, request, remote);
            _clients[key] = transaction;
            transaction.Start();
        });
        return transaction;
    }

    /// <summary>Sends a request outside any transaction (the ACK for a 2xx, §13.2.2.4).</summary>
    public void SendStateless(SipMessage message, SipRemote remote) => Locked(() => Send(remote, message.ToBytes()));

    /// <summary>Sends bytes already serialized (a 2xx retransmission, §13.3.1.4).</summary>
    public void SendStateless(byte[] bytes, SipRemote remote) => Locked(() => Send(remote, bytes));

    /// <summary>Takes one parsed message from the transport.</summary>
    public void Receive(SipMessage message, SipRemote source) => Locked(() => ReceiveLocked(message, source));

    private void ReceiveLocked(SipMessage message, SipRemote source)
    {
        if (message is SipResponse response)
        {
            var branch = response.TopVia?.Branch;
            var method = response.CSeq?.Method;
            if (branch is not null && method is not null && _clients.TryGetValue(ClientKey(branch, method), out var client))
            {
                client.OnResponse(response);
            }
            else
            {
                Defer(() => StrayResponseReceived?.Invoke(response, source));
            }

            return;
        }

        var request = (SipRequest)message;
        var key = ServerKey(request);
        if (key is null)
        {
            return;
        }

        if (request.Method == "ACK")
        {
            if (_servers.TryGetValue(key, out var invite))
            {
                invite.OnAck();
            }
            else
            {
                Defer(() => AckReceived?.Invoke(request, source));
            }

            return;
        }

        if (_servers.TryGetValue(key, out var existing))
        {
            existing.OnRetransmission();
            return;
        }

        var transaction = new SipServerTransaction(this, key, request, source);
        _servers[key] = transaction;

        if (request.Method == "CANCEL")
        {
            // §9.2: the CANCEL names the INVITE by the same branch (or 2543 fields) with method INVITE.
            var inviteKey = ServerKey(request, methodOverride: "INVITE");
            if (inviteKey is not null && _servers.TryGetValue(inviteKey, out var target))
            {
                transaction.RespondLocked(SipResponse.For(request, SipStatus.Ok, toTag: target.LastResponse?.To?.Tag ?? NewTag()));
                target.OnCancel();
            }
            else
            {
                transaction.RespondLocked(SipResponse.For(request, SipStatus.CallOrTransactionDoesNotExist, toTag: NewTag()));
            }

            return;
        }

        // §8.2.2.2: same From tag, Call-ID and CSeq as a live transaction but another branch:
        // the request forked and came back by two paths. Only the first is processed.
        var mergeKey = MergeKey(request);
        if (mergeKey is not null)
        {
            if (_merge.ContainsKey(mergeKey))
            {
                transaction.RespondLocked(SipResponse.For(request, SipStatus.LoopDetected, toTag: NewTag()));
                return;
            }

            transaction.MergeKey = mergeKey;
            _merge[mergeKey] = transaction;
        }

        if (transaction.IsInvite)
        {
            // §17.2.1: answer 100 at once rather than make the client retransmit.
            transaction.RespondLocked(SipResponse.For(request, SipStatus.Trying));
        }

        Defer(() => RequestReceived?.Invoke(transaction));
    }

    internal TransactionTimer CreateTimer(Action onFire) => new(_time, Locked, onFire);

    internal void Locked(Action action)
    {
        List<Action>? toRun = null;
        lock (_gate)
        {
            action();
            if (_deferred.Count > 0)
            {
                toRun = [.. _deferred];
                _deferred.Clear();
            }
        }

        if (toRun is not null)
        {
            foreach (var run in toRun)
            {
                run();
            }
        }
    }

    internal void Defer(Action action) => _deferred.Add(action);

    internal void Send(SipRemote remote, byte[] bytes)
    {
        if (!_outbound.TryWrite(new SipOutbound(remote, bytes)))
        {
            DroppedSends++;
        }
    }

    internal void Remove(SipServerTransaction transaction)
    {
        _servers.Remove(transaction.Key);
        if (transaction.MergeKey is not null)
        {
            _merge.Remove(transaction.MergeKey);
        }
    }

    internal void Remove(SipClientTransaction transaction) => _clients.Remove(transaction.Key);

    private static string ClientKey(string branch, string method) => branch + "|" + method;

    /// <summary>
    /// §17.2.3: an RFC 3261 branch plus sent-by and method (ACK counts as INVITE); without the
    /// magic cookie, the RFC 2543 fields (Request-URI, From tag, Call-ID, CSeq, top Via).
    /// </summary>
    private static string? ServerKey(SipRequest request, string? methodOverride = null)
    {
        var via = request.TopVia;
        if (via is null)
        {
            return null;
        }

        var method = methodOverride ?? (request.Method == "ACK" ? "INVITE" : request.Method);
        if (via.HasRfc3261Branch)
        {
            // Call-ID and CSeq number are added to the §17.2.3 key: retransmissions, the ACK and
            // the CANCEL always repeat them, so nothing that should match stops matching, while a
            // client that reuses a branch for a new request (RFC 4475's vectors do) no longer
            // gets the old request's response.
            return $"{via.Branch}|{via.SentBy.ToLowerInvariant()}|{method}|{request.CallId}|{request.CSeq?.Number}";
        }

        return $"2543|{request.RequestUri.Text}|{request.From?.Tag}|{request.CallId}|{request.CSeq?.Number}|{via}|{method}";
    }

    private static string? MergeKey(SipRequest request)
    {
        if (request.To is null || request.To.Tag is not null || request.From?.Tag is null || request.CallId is null || request.CSeq is null)
        {
            return null;
        }

        return $"{request.From.Tag}|{request.CallId}|{request.CSeq.Number}|{request.CSeq.Method}";
    }
}
