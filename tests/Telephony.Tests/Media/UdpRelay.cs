using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Aicc.Telephony.Tests.Media;

/// <summary>
/// A small impairing UDP relay between two RTP endpoints, standing in for a bad network: packets
/// from A arrive at <see cref="FacingA"/> and leave from <see cref="FacingB"/> towards B (and back).
/// Every <c>dropEvery</c>-th packet is dropped, every <c>holdEvery</c>-th is held back and sent
/// after the next one (reordering), every <c>duplicateEvery</c>-th is sent twice.
/// </summary>
internal sealed class UdpRelay : IAsyncDisposable
{
    private readonly Socket _facingA = Bound();
    private readonly Socket _facingB = Bound();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loops;

    public UdpRelay(IPEndPoint a, IPEndPoint b, int dropEvery, int holdEvery, int duplicateEvery)
    {
        _loops = Task.WhenAll(
            Task.Run(() => PumpAsync(_facingA, _facingB, b, dropEvery, holdEvery, duplicateEvery, SeenFromA)),
            Task.Run(() => PumpAsync(_facingB, _facingA, a, dropEvery, holdEvery, duplicateEvery, SeenFromB)));
    }

    public IPEndPoint FacingA => (IPEndPoint)_facingA.LocalEndPoint!;

    public IPEndPoint FacingB => (IPEndPoint)_facingB.LocalEndPoint!;

    /// <summary>(sequence, timestamp, payload type) of every packet A sent, in arrival order.</summary>
    public ConcurrentQueue<(ushort Seq, uint Ts, int Pt)> SeenFromA { get; } = new();

    public ConcurrentQueue<(ushort Seq, uint Ts, int Pt)> SeenFromB { get; } = new();

    private int _dropped;
    private int _reordered;
    private int _duplicated;

    public int Dropped => Volatile.Read(ref _dropped);

    public int Reordered => Volatile.Read(ref _reordered);

    public int Duplicated => Volatile.Read(ref _duplicated);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _facingA.Dispose();
        _facingB.Dispose();
        try
        {
            await _loops;
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private async Task PumpAsync(Socket from, Socket to, IPEndPoint destination, int dropEvery, int holdEvery, int duplicateEvery, ConcurrentQueue<(ushort, uint, int)> seen)
    {
        var buffer = new byte[2048];
        byte[]? held = null;
        var count = 0;
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            var result = await from.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            var packet = buffer.AsSpan(0, result.ReceivedBytes).ToArray();
            if (packet.Length >= 12)
            {
                seen.Enqueue((BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)), BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4)), packet[1] & 0x7F));
            }
            count++;
            if (count % dropEvery == 0)
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }
            if (held is null && count % holdEvery == 0)
            {
                held = packet;
                Interlocked.Increment(ref _reordered);
                continue;
            }
            await to.SendToAsync(packet, SocketFlags.None, destination);
            if (count % duplicateEvery == 0)
            {
                Interlocked.Increment(ref _duplicated);
                await to.SendToAsync(packet, SocketFlags.None, destination);
            }
            if (held is not null)
            {
                await to.SendToAsync(held, SocketFlags.None, destination);
                held = null;
            }
        }
    }
}
