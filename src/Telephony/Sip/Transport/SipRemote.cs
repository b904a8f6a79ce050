using System.Net;

namespace Aicc.Telephony.Sip.Transport;

/// <summary>The transport protocols the stack listens on (RFC 3261 §18).</summary>
public enum SipTransportKind
{
    Udp,
    Tcp,
}

/// <summary>
/// Where a message came from or goes to: the protocol, the peer's address and, for TCP, the
/// connection it arrived on, so responses reuse it (§18.2.2).
/// </summary>
public sealed record SipRemote(SipTransportKind Kind, IPEndPoint EndPoint, long ConnectionId = 0)
{
    /// <summary>TCP delivers reliably, so the §17 retransmission timers are not armed.</summary>
    public bool IsReliable => Kind == SipTransportKind.Tcp;

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{EndPoint}";
}

/// <summary>Bytes for the transport to send, queued on a bounded channel.</summary>
public sealed record SipOutbound(SipRemote Remote, byte[] Bytes);

/// <summary>Something the transport received, parsed or not, for the layers above.</summary>
public sealed record SipInbound(SipRemote Source, IPEndPoint Local, Messages.SipParseResult Parse);
