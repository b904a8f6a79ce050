using System.Net;
using System.Net.Sockets;
using System.Text;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;

namespace Aicc.Telephony.Tests.Sip.Transport;

/// <summary>
/// A real stack on loopback UDP and TCP (ephemeral ports) with a UAS that registers, answers
/// OPTIONS and answers every INVITE 200 with a fixed body.
/// </summary>
public sealed class RunningUas : IAsyncDisposable
{
    public const string AnswerBody = "v=0\r\no=aicc 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";

    private RunningUas(SipStack stack, SipUserAgentServer uas)
    {
        Stack = stack;
        Uas = uas;
    }

    public SipStack Stack { get; }

    public SipUserAgentServer Uas { get; }

    public IPEndPoint Udp => Stack.UdpEndPoints[0];

    public IPEndPoint Tcp => Stack.TcpEndPoints[0];

    public static RunningUas Start(SipTransportOptions? options = null, Action<SipIncomingCall>? onCall = null)
    {
        var stack = SipStack.Start(options ?? new SipTransportOptions
        {
            Udp = [new IPEndPoint(IPAddress.Loopback, 0)],
            Tcp = [new IPEndPoint(IPAddress.Loopback, 0)],
        });
        var uas = SipUserAgentServer.On(stack, TimeProvider.System, registrar: new SipRegistrar(TimeProvider.System));
        uas.IncomingCall += onCall ?? (call => call.Answer(AnswerBody));
        return new RunningUas(stack, uas);
    }

    public ValueTask DisposeAsync() => Stack.DisposeAsync();
}

/// <summary>A plain UDP socket acting as the far end, reading what the stack sends.</summary>
public sealed class UdpPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public UdpPeer()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public Task SendAsync(byte[] bytes, IPEndPoint to) => _socket.SendToAsync(bytes, SocketFlags.None, to);

    public Task SendAsync(string text, IPEndPoint to) => SendAsync(Encoding.UTF8.GetBytes(text), to);

    /// <summary>The next datagram parsed, or null when none arrives in time.</summary>
    public async Task<SipParseResult?> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[65536];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
            return SipMessageParser.Parse(buffer.AsSpan(0, result.ReceivedBytes));
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Skips provisional responses; returns the first final status (parsed or not), or null.</summary>
    public async Task<SipParseResult?> ReceiveFinalAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var result = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (result is null)
            {
                return null;
            }

            if (result.StatusCode is >= 200 || result.Kind == SipMessageKind.Request)
            {
                return result;
            }
        }

        return null;
    }

    public void Dispose() => _socket.Dispose();
}
