using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Aicc.Telephony.Sip.Messages;

namespace Aicc.Telephony.Sip.Transport;

/// <summary>
/// TCP for SIP (RFC 3261 §18): accepts connections, frames each byte stream by
/// Content-Length, answers CRLFCRLF keep-alives with CRLF (RFC 5626 §3.5.1), and keeps a
/// table of connections so responses and later requests go back over the same one (§18.2.2).
/// Also opens connections for requests we originate.
/// </summary>
public sealed class SipTcpListener : IAsyncDisposable
{
    private static long s_nextId;

    private readonly Socket _listener;
    private readonly ChannelWriter<SipInbound> _inbound;
    private readonly SipTransportOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, Connection> _connections = new();
    private readonly Task _acceptLoop;

    private SipTcpListener(Socket listener, ChannelWriter<SipInbound> inbound, SipTransportOptions options)
    {
        _listener = listener;
        _inbound = inbound;
        _options = options;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint LocalEndPoint { get; }

    public int ConnectionCount => _connections.Count;

    public static SipTcpListener Start(IPEndPoint bind, ChannelWriter<SipInbound> inbound, SipTransportOptions options)
    {
        var socket = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(bind);
        socket.Listen(512);
        return new SipTcpListener(socket, inbound, options);
    }

    /// <summary>Sends over the connection a message came in on, or opens one to the peer.</summary>
    public async ValueTask SendAsync(SipRemote remote, byte[] bytes, CancellationToken ct)
    {
        var connection = remote.ConnectionId != 0 && _connections.TryGetValue(remote.ConnectionId, out var existing)
            ? existing
            : _connections.Values.FirstOrDefault(c => c.Remote.Equals(remote.EndPoint)) ?? await ConnectAsync(remote.EndPoint, ct);
        await connection.SendAsync(bytes, ct);
    }

    private async Task<Connection> ConnectAsync(IPEndPoint to, CancellationToken ct)
    {
        var socket = new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(to, ct);
        return Adopt(socket);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                continue;
            }

            if (_connections.Count >= _options.MaxTcpConnections)
            {
                socket.Dispose();
                continue;
            }

            socket.NoDelay = true;
            Adopt(socket);
        }
    }

    private Connection Adopt(Socket socket)
    {
        var connection = new Connection(Interlocked.Increment(ref s_nextId), socket);
        _connections[connection.Id] = connection;
        _ = Task.Run(() => ReadLoopAsync(connection));
        return connection;
    }

    private async Task ReadLoopAsync(Connection connection)
    {
        var framer = new SipStreamFramer();
        var buffer = new byte[16384];
        var remote = new SipRemote(SipTransportKind.Tcp, connection.Remote, connection.Id);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                idle.CancelAfter(_options.TcpIdleTimeout);
                var read = await connection.Socket.ReceiveAsync(buffer, SocketFlags.None, idle.Token);
                if (read == 0)
                {
                    break;
                }

                framer.Append(buffer.AsSpan(0, read));
                while (framer.TryRead() is { } result)
                {
                    _inbound.TryWrite(new SipInbound(remote, LocalEndPoint, result));
                    if (!result.IsSuccess)
                    {
                        // The stream cannot be resynchronised after a framing error (§18.3):
                        // close once the error response is out, or soon if there is none.
                        connection.CloseAfterNextSend = true;
                        await Task.Delay(TimeSpan.FromSeconds(2), _stop.Token);
                        return;
                    }
                }

                for (var pings = framer.TakeKeepAlives(); pings > 0; pings--)
                {
                    await connection.SendAsync("\r\n"u8.ToArray(), _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Peer went away, idled out or we are stopping.
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            connection.Socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        foreach (var c in _connections.Values)
        {
            c.Socket.Dispose();
        }

        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private sealed class Connection(long id, Socket socket)
    {
        private readonly SemaphoreSlim _sendLock = new(1, 1);

        public long Id { get; } = id;

        public Socket Socket { get; } = socket;

        public IPEndPoint Remote { get; } = (IPEndPoint)socket.RemoteEndPoint!;

        public bool CloseAfterNextSend { get; set; }

        public async ValueTask SendAsync(byte[] bytes, CancellationToken ct)
        {
            await _sendLock.WaitAsync(ct);
            try
            {
                var sent = 0;
                while (sent < bytes.Length)
                {
                    sent += await Socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, ct);
                }

                if (CloseAfterNextSend)
                {
                    Socket.Shutdown(SocketShutdown.Both);
                    Socket.Dispose();
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
    }
}
