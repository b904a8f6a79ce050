using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Aicc.Api.Edge;

/// <summary>
/// rtpengine as the edge runs it: userspace forwarding only (<c>--table=-1</c>, no kernel
/// module to load), one interface, a port range, ng control for kamailio. Everything is on the
/// command line (<c>--config-file=none</c>) so no file on the machine changes what it does.
/// </summary>
public static class Rtpengine
{
    public static IReadOnlyList<string> Arguments(EdgeSettings settings) =>
    [
        "--config-file=none",
        "--table=-1",
        "--foreground",
        "--log-stderr",
        "--log-level=5",
        $"--interface={settings.MediaAddress}",
        $"--listen-ng={EdgeSettings.Host(settings.RtpengineControl.Address)}:{settings.RtpengineControl.Port.ToString(CultureInfo.InvariantCulture)}",
        $"--port-min={settings.RtpPortMin.ToString(CultureInfo.InvariantCulture)}",
        $"--port-max={settings.RtpPortMax.ToString(CultureInfo.InvariantCulture)}",
        "--delete-delay=0",
    ];

    /// <summary>
    /// True when rtpengine answers an ng <c>ping</c> (bencoded <c>d7:command4:pinge</c>) with
    /// <c>pong</c>. Kamailio's rtpengine module disables a relay that does not answer at start
    /// for a minute, so the edge starts kamailio only after this.
    /// </summary>
    public static async Task<bool> PingAsync(IPEndPoint control, TimeSpan timeout)
    {
        using var socket = new Socket(control.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var cookie = Guid.NewGuid().ToString("N")[..8];
        var request = Encoding.ASCII.GetBytes($"{cookie} d7:command4:pinge");
        var buffer = new byte[512];
        try
        {
            await socket.SendToAsync(request, SocketFlags.None, control);
            using var wait = new CancellationTokenSource(timeout);
            var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), wait.Token);
            var reply = Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
            return reply.StartsWith(cookie + " ", StringComparison.Ordinal) && reply.Contains("pong", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            return false;
        }
    }
}
