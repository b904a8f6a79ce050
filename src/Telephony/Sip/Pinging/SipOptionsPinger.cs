using System.Diagnostics;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transactions;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Sip.Pinging;

/// <summary>What one OPTIONS ping saw: whether the peer answered, its status, and how long it took.</summary>
/// <param name="Status">The peer's final status; null when nothing came back.</param>
/// <param name="Reason">Why the peer counts as unreachable (null when reachable).</param>
public sealed record SipPingResult(bool Reachable, int? Status, TimeSpan RoundTrip, string? Reason);

/// <summary>
/// Probes a gateway with an out-of-dialog OPTIONS (RFC 3261 §11) through a non-INVITE client
/// transaction, so UDP retransmissions (timer E) cover a lost datagram. Any final response counts
/// as reachable: a 404, 403 or 405 still proves a SIP element is alive at the address, and
/// carriers commonly answer keep-alive OPTIONS from unregistered peers with such codes (the
/// same rule Kamailio's dispatcher and Asterisk's qualify use). Only silence, until our own time
/// limit or timer F, counts as down: a transport that refuses the datagram looks the same.
/// </summary>
public sealed class SipOptionsPinger
{
    private readonly SipTransactionLayer _transactions;
    private readonly Func<SipTransportKind, string> _newVia;
    private readonly string _fromUri;

    /// <param name="timeout">How long to wait for a final response; timer F (64*T1) ends it anyway.</param>
    public SipOptionsPinger(SipTransactionLayer transactions, Func<SipTransportKind, string> newVia, string fromUri, TimeSpan timeout)
    {
        _transactions = transactions;
        _newVia = newVia;
        _fromUri = fromUri;
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    /// <summary>A pinger sending from <paramref name="stack"/>, introducing itself as <c>sip:ping@host</c>.</summary>
    public static SipOptionsPinger On(SipStack stack, TimeSpan timeout)
    {
        var endPoint = stack.UdpEndPoints.Count > 0 ? stack.UdpEndPoints[0] : stack.TcpEndPoints[0];
        var host = endPoint.Address.Equals(System.Net.IPAddress.Any) ? System.Net.IPAddress.Loopback : endPoint.Address;
        return new SipOptionsPinger(stack.Transactions, stack.NewViaValue, $"sip:ping@{new System.Net.IPEndPoint(host, endPoint.Port)}", timeout);
    }

    /// <summary>Sends one OPTIONS to <paramref name="target"/>; never throws for an unreachable peer.</summary>
    public async Task<SipPingResult> PingAsync(SipRemote target, CancellationToken cancellationToken = default)
    {
        var requestUri = SipUri.Create(null, target.EndPoint.Address.ToString(), target.EndPoint.Port);
        var headers = new List<SipHeader>
        {
            new(SipHeaderNames.Via, _newVia(target.Kind)),
            new(SipHeaderNames.MaxForwards, "70"),
            new(SipHeaderNames.From, $"<{_fromUri}>;tag={SipTransactionLayer.NewTag()}"),
            new(SipHeaderNames.To, $"<{requestUri.Text}>"),
            new(SipHeaderNames.CallId, SipTransactionLayer.NewTag() + SipTransactionLayer.NewTag() + "@aicc"),
            new(SipHeaderNames.CSeq, "1 OPTIONS"),
            new("Accept", "application/sdp"),
        };
        var started = Stopwatch.GetTimestamp();
        var transaction = _transactions.SendRequest(SipRequest.Create("OPTIONS", requestUri, headers), target);
        SipResponse response;
        try
        {
            response = await transaction.FinalResponse.WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new SipPingResult(false, null, Stopwatch.GetElapsedTime(started), $"no answer within {Timeout.TotalSeconds:0.#} s");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return transaction.TimedOut
            ? new SipPingResult(false, null, elapsed, "no answer (transaction timed out)")
            : new SipPingResult(true, response.StatusCode, elapsed, null);
    }
}
