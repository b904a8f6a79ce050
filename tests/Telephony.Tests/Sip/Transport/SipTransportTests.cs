using System.Net;
using System.Net.Sockets;
using System.Text;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Tests.Sip.Transport;

public sealed class SipTransportTests
{
    private static string Options(string via, string callId = "t1@127.0.0.1") =>
        "OPTIONS sip:aicc@127.0.0.1 SIP/2.0\r\n" +
        $"Via: {via}\r\n" +
        "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p1\r\nTo: <sip:aicc@127.0.0.1>\r\n" +
        $"Call-ID: {callId}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public async Task GivenRport_WhenRequestComesFromAnotherAddressThanVia_ThenResponseGoesToTheSourceAndViaIsStamped()
    {
        await using var uas = RunningUas.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)], SymmetricResponses = false });
        using var peer = new UdpPeer();

        await peer.SendAsync(Options("SIP/2.0/UDP 192.0.2.7:5070;branch=z9hG4bKrport1;rport"), uas.Udp);
        var response = (await peer.ReceiveFinalAsync(TimeSpan.FromSeconds(5)))!.Message!;

        Assert.Equal(peer.EndPoint.Port, response.TopVia!.Rport);
        Assert.Equal("127.0.0.1", response.TopVia.Received);
    }

    [Fact]
    public async Task GivenStrictRouting_WhenNoRport_ThenResponseGoesToTheViaPort()
    {
        await using var uas = RunningUas.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)], SymmetricResponses = false });
        using var sender = new UdpPeer();
        using var viaTarget = new UdpPeer();

        await sender.SendAsync(Options($"SIP/2.0/UDP 127.0.0.1:{viaTarget.EndPoint.Port};branch=z9hG4bKnorport"), uas.Udp);

        Assert.Equal(200, (await viaTarget.ReceiveFinalAsync(TimeSpan.FromSeconds(5)))?.StatusCode);
        Assert.Null(await sender.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task GivenTcpConnection_WhenMessagesArriveInPiecesWithKeepAlives_ThenEachIsAnsweredOnTheSameConnection()
    {
        await using var uas = RunningUas.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(uas.Tcp);
        var stream = client.GetStream();
        var local = (IPEndPoint)client.Client.LocalEndPoint!;
        var bytes = Encoding.UTF8.GetBytes(
            "\r\n\r\n" +
            Options($"SIP/2.0/TCP {local};branch=z9hG4bKtcp1", "tcp1@127.0.0.1") +
            Options($"SIP/2.0/TCP {local};branch=z9hG4bKtcp2", "tcp2@127.0.0.1"));

        for (var i = 0; i < bytes.Length; i += 50)
        {
            await stream.WriteAsync(bytes.AsMemory(i, Math.Min(50, bytes.Length - i)));
            await Task.Delay(2);
        }

        var framer = new SipStreamFramer();
        var responses = new List<SipMessage>();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var pong = false;
        while (responses.Count < 2)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            var data = buffer.AsSpan(0, read);
            if (!pong && data.StartsWith("\r\n"u8))
            {
                pong = true;
            }

            framer.Append(data);
            while (framer.TryRead() is { } result)
            {
                responses.Add(result.Message!);
            }
        }

        Assert.True(pong);
        Assert.Equal(["tcp1@127.0.0.1", "tcp2@127.0.0.1"], responses.Select(r => r.CallId));
        Assert.All(responses, r => Assert.Equal(200, ((SipResponse)r).StatusCode));
    }

    [Fact]
    public async Task GivenTcpGarbage_ThenTheConnectionIsAnswered400AndClosed()
    {
        await using var uas = RunningUas.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(uas.Tcp);
        var stream = client.GetStream();

        await stream.WriteAsync(Encoding.UTF8.GetBytes(Options("SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKbad").Replace("Content-Length: 0", "Content-Length: -5")));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int read;
        while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        var response = SipMessageParser.Parse(received.ToArray());
        Assert.Equal(400, response.StatusCode);
    }
}
