using System.Globalization;
using System.Net;
using Npgsql;

namespace Aicc.Api.Edge;

/// <summary>
/// Where the SIP edge (kamailio) and the media relay (rtpengine) listen, and what they trust.
/// Browsers reach the edge over WebSocket and ICE; the platform's own SIP stack sends its
/// INVITEs to the edge over UDP. One record feeds both generated configurations, so the two
/// daemons can never disagree about a port.
/// </summary>
public sealed record EdgeSettings
{
    /// <summary>Address kamailio listens on, for the platform (UDP) and for browsers (WebSocket over TCP).</summary>
    public required IPAddress SipAddress { get; init; }

    public int SipPort { get; init; } = 5060;

    public int WebSocketPort { get; init; } = 8080;

    /// <summary>Address rtpengine offers to browsers (ICE host candidate) and to the platform (plain RTP).</summary>
    public required IPAddress MediaAddress { get; init; }

    public int RtpPortMin { get; init; } = 30000;

    public int RtpPortMax { get; init; } = 30999;

    /// <summary>Where rtpengine takes ng-protocol commands; it is unauthenticated, so keep it off public addresses.</summary>
    public IPEndPoint RtpengineControl { get; init; } = new(IPAddress.Loopback, 2223);

    /// <summary>The platform's database, where kamailio reads the agents' digest credentials (<c>agent_sip_accounts</c>).</summary>
    public required string DatabaseUrl { get; init; }

    /// <summary>Sources allowed to call agents without authenticating: the platform's SIP nodes.</summary>
    public IReadOnlyList<IPAddress> TrustedPeers { get; init; } = [IPAddress.Loopback];

    /// <summary>The URL browsers open for SIP over WebSocket (RFC 7118).</summary>
    public string WebSocketUrl => $"ws://{Host(SipAddress)}:{WebSocketPort.ToString(CultureInfo.InvariantCulture)}";

    public IPEndPoint SipEndPoint => new(SipAddress, SipPort);

    /// <summary>
    /// Kamailio's db_postgres URL for an Npgsql connection string. Kamailio cannot take a password
    /// from elsewhere, so one in the connection string ends up in the generated file (kept under .data).
    /// </summary>
    public static string KamailioDatabaseUrl(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var credentials = Uri.EscapeDataString(builder.Username ?? "postgres")
            + (string.IsNullOrEmpty(builder.Password) ? "" : ":" + Uri.EscapeDataString(builder.Password));
        var host = builder.Host ?? "127.0.0.1";
        if (host.StartsWith('/'))
        {
            throw new ArgumentException("kamailio's db_postgres needs a TCP host, not a unix socket folder.", nameof(connectionString));
        }

        return $"postgres://{credentials}@{host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{builder.Database ?? "aicc"}";
    }

    /// <summary>An address as URLs and kamailio's <c>listen</c> want it: IPv6 in brackets.</summary>
    public static string Host(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
