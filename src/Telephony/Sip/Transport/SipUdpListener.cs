using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Aicc.Telephony.Sip.Messages;

namespace Aicc.Telephony.Sip.Transport;

/// <summary>
/// One UDP socket (RFC 3261 §18): each datagram is parsed on arrival (one message per
/// datagram, §18.3) and queued for the transaction layer; a full queue drops the datagram as
/// the network would, and the peer's retransmission tries again.
/// </summary>
public sealed class SipUdpListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ChannelWriter<SipInbound> _inbound;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _received;
    private long _dropped;
    private long _faults;

    private SipUdpListener(Socket socket, ChannelWriter<SipInbound> inbound)
    {
        _socket = socket;
        _inbound = inbound;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public IPEndPoint LocalEndPoint { get; }

    public long Received => Interlocked.Read(ref _received);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Datagrams whose handling threw: a bug, counted so tests can insist on zero.</summary>
    public long Faults => Interlocked.Read(ref _faults);

    public Exception? LastFault { get; private set; }

    public static SipUdpListener Start(IPEndPoint bind, ChannelWriter<SipInbound> inbound, int bufferBytes)
    {
        var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = bufferBytes;
        socket.SendBufferSize = bufferBytes;
        socket.Bind(bind);
        return new SipUdpListener(socket, inbound);
    }

    public ValueTask<int> SendAsync(IPEndPoint to, byte[] bytes, CancellationToken ct) =>
        _socket.SendToAsync(bytes, SocketFlags.None, to, ct);

    private async Task ReceiveLoopAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65536);
        EndPoint any = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                // ICMP errors surface here on some platforms; the socket itself is still fine.
                continue;
            }

            Interlocked.Increment(ref _received);
            try
            {
                var data = buffer.AsSpan(0, result.ReceivedBytes);
                if (data.TrimStart("\r\n\t "u8).IsEmpty)
                {
                    continue; // keep-alive
                }

                var parse = SipMessageParser.Parse(data);
                var source = new SipRemote(SipTransportKind.Udp, (IPEndPoint)result.RemoteEndPoint);
                if (!_inbound.TryWrite(new SipInbound(source, LocalEndPoint, parse)))
                {
                    Interlocked.Increment(ref _dropped);
                }
            }
            catch (Exception e)
            {
                // One bad datagram must not stop the listener; Faults makes the bug visible.
                LastFault = e;
                Interlocked.Increment(ref _faults);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
