using System.Net;
using System.Net.Sockets;

namespace Aicc.Telephony.Rtp;

/// <summary>
/// Binds the RTP/RTCP socket pair of a session: RTP on an even port and RTCP on the next odd
/// one (RFC 3550 §11), chosen at random within a range so concurrent calls and restarts rarely
/// collide and predictable ports do not invite injection.
/// </summary>
public sealed class RtpPortAllocator(int firstPort = 20000, int lastPort = 59999)
{
    private const int Attempts = 200;

    /// <summary>Binds a pair on <paramref name="address"/>; throws when no pair was free after many tries.</summary>
    public (Socket Rtp, Socket Rtcp) Bind(IPAddress address)
    {
        var pairs = (lastPort - firstPort + 1) / 2;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var port = firstPort + (2 * Random.Shared.Next(pairs));
            port += port & 1;
            var rtp = NewSocket(address);
            var rtcp = NewSocket(address);
            try
            {
                rtp.Bind(new IPEndPoint(address, port));
                rtcp.Bind(new IPEndPoint(address, port + 1));
                return (rtp, rtcp);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                rtp.Dispose();
                rtcp.Dispose();
            }
        }
        throw new InvalidOperationException($"No free RTP port pair in {firstPort}-{lastPort} after {Attempts} attempts.");
    }

    private static Socket NewSocket(IPAddress address) =>
        new(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
}
