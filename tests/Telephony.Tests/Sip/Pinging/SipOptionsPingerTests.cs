using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Pinging;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Tests.Sip.Interop;
using Aicc.Telephony.Tests.Sip.Transport;

namespace Aicc.Telephony.Tests.Sip.Pinging;

/// <summary>OPTIONS pings over real UDP sockets: against our own UAS, a silent port, and sipp.</summary>
public sealed class SipOptionsPingerTests
{
    private static SipStack Pinging() => SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });

    [Fact]
    public async Task GivenOurUas_WhenPinged_ThenItIsReachableWith200()
    {
        await using var gateway = RunningUas.Start();
        await using var stack = Pinging();
        var pinger = SipOptionsPinger.On(stack, TimeSpan.FromSeconds(5));

        var result = await pinger.PingAsync(new SipRemote(SipTransportKind.Udp, gateway.Udp));

        Assert.True(result.Reachable, result.Reason);
        Assert.Equal(200, result.Status);
        Assert.InRange(result.RoundTrip, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Null(result.Reason);
    }

    [Fact]
    public async Task GivenOurUasOverTcp_WhenPinged_ThenItIsReachable()
    {
        await using var gateway = RunningUas.Start();
        await using var stack = SipStack.Start(new SipTransportOptions
        {
            Udp = [new IPEndPoint(IPAddress.Loopback, 0)],
            Tcp = [new IPEndPoint(IPAddress.Loopback, 0)],
        });
        var pinger = SipOptionsPinger.On(stack, TimeSpan.FromSeconds(5));

        var result = await pinger.PingAsync(new SipRemote(SipTransportKind.Tcp, gateway.Tcp));

        Assert.True(result.Reachable, result.Reason);
        Assert.Equal(200, result.Status);
    }

    [Fact]
    public async Task GivenAPortNobodyAnswersOn_WhenPinged_ThenItIsUnreachableAfterTheTimeout()
    {
        // A bound socket that never reads: datagrams vanish as they would towards a dead gateway.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var stack = Pinging();
        var pinger = SipOptionsPinger.On(stack, TimeSpan.FromMilliseconds(700));

        var result = await pinger.PingAsync(new SipRemote(SipTransportKind.Udp, (IPEndPoint)silent.LocalEndPoint!));

        Assert.False(result.Reachable);
        Assert.Null(result.Status);
        Assert.NotNull(result.Reason);
        Assert.True(result.RoundTrip >= TimeSpan.FromMilliseconds(650), $"gave up after {result.RoundTrip}");
        // Timer E retransmitted meanwhile (T1 = 500 ms): a lost first datagram is not a failed ping.
        Assert.True(silent.Available > 0);
    }

    [Fact]
    public async Task GivenSippAnsweringOptionsWith404_WhenPinged_ThenTheGatewayCountsAsReachable()
    {
        var port = Sipp.FreeUdpPort();
        using var sipp = Sipp.Start(
        [
            "-sf", Path.Combine(AppContext.BaseDirectory, "Sip", "Pinging", "uas_options_404.xml"),
            "-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture),
            "-m", "1", "-nostdin", "-timeout", "20s", "-timeout_error", "-trace_err",
        ]);
        await using var stack = Pinging();
        // Timer E retransmits while sipp is still opening its socket.
        var pinger = SipOptionsPinger.On(stack, TimeSpan.FromSeconds(10));

        var result = await pinger.PingAsync(new SipRemote(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, port)));
        var run = await sipp.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(result.Reachable, result.Reason);
        Assert.Equal(404, result.Status);
        Assert.True(run.ExitCode == 0, $"sipp exit {run.ExitCode}:\n{run.Output}");
    }
}
