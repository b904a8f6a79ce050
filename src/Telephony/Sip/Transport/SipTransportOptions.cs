using System.Net;

namespace Aicc.Telephony.Sip.Transport;

/// <summary>Where and how the stack listens (RFC 3261 §18).</summary>
public sealed record SipTransportOptions
{
    public IReadOnlyList<IPEndPoint> Udp { get; init; } = [new IPEndPoint(IPAddress.Any, 5060)];

    public IReadOnlyList<IPEndPoint> Tcp { get; init; } = [];

    /// <summary>Messages waiting between the sockets and the transaction layer, each way.</summary>
    public int QueueCapacity { get; init; } = 8192;

    public int SocketBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Send UDP responses to the packet's source port even without rport (RFC 3581 applied
    /// to everyone). Softphones behind NAT are the norm for call-center agents; off means the
    /// strict RFC 3261 §18.2.2 rule (Via port unless rport was asked for).
    /// </summary>
    public bool SymmetricResponses { get; init; } = true;

    public int MaxTcpConnections { get; init; } = 1024;

    /// <summary>Idle TCP connections are closed after this long (keep-alive CRLFs count as activity).</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
