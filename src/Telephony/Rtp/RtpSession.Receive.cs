using System.Net;
using System.Net.Sockets;

namespace Aicc.Telephony.Rtp;

public sealed partial class RtpSession
{
    private readonly JitterBuffer _jitter;
    private readonly LossConcealer _concealer = new();
    private readonly DtmfReceiver _dtmfReceiver = new();
    private readonly byte[] _popBuffer = new byte[JitterBuffer.MaxPayload];
    private RtpReceiveStatistics? _statistics;
    private IPEndPoint? _latchedRtp;
    private SocketAddress? _latchedRtpAddress;
    private long _lastFromLatched;
    private long _packetsReceived;
    private long _packetsInvalid;
    private long _framesPlayed;
    private long _dtmfReceivedCount;

    /// <summary>
    /// Takes the frame due now from the jitter buffer (called by the media clock): decoded audio,
    /// a concealment frame for a lost packet, or <see cref="JitterPopResult.Empty"/> with silence in
    /// <paramref name="pcm"/> when nothing is due.
    /// </summary>
    public JitterPopResult ReceiveFrame(Span<short> pcm)
    {
        lock (_lock)
        {
            var frame = pcm[..FrameSamples];
            var parameters = _parameters;
            var result = _jitter.Pop(_popBuffer, out var length, out _, out _);
            switch (result)
            {
                case JitterPopResult.Frame when parameters is not null:
                    var decoded = parameters.Codec.Decode(_popBuffer.AsSpan(0, Math.Min(length, FrameSamples)), frame);
                    frame[decoded..].Clear();
                    _concealer.Good(frame);
                    _framesPlayed++;
                    return JitterPopResult.Frame;
                case JitterPopResult.Lost:
                    _concealer.Conceal(frame);
                    return JitterPopResult.Lost;
                default:
                    frame.Clear();
                    return JitterPopResult.Empty;
            }
        }
    }

    private async Task ReceiveRtpLoopAsync(CancellationToken cancel)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(2048, pinned: true);
        var from = new SocketAddress(_rtpSocket.AddressFamily);
        while (!cancel.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _rtpSocket.ReceiveFromAsync(buffer, SocketFlags.None, from, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!cancel.IsCancellationRequested)
            {
                continue; // ICMP errors surface here on some stacks; the next datagram is independent
            }
            OnRtp(buffer.AsSpan(0, received), from);
        }
    }

    private void OnRtp(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        DtmfDigitReceived? digit = null;
        IPEndPoint? latched = null;
        lock (_lock)
        {
            var parameters = _parameters;
            if (parameters is null || !RtpPacket.TryParse(datagram, out var packet, out _))
            {
                _packetsInvalid++;
                return;
            }
            var isAudio = packet.PayloadType == parameters.PayloadType;
            var isEvent = packet.PayloadType == parameters.TelephoneEventPayloadType;
            if (!isAudio && !isEvent)
            {
                _packetsInvalid++; // comfort noise or a payload type nobody negotiated
                return;
            }
            _packetsReceived++;
            latched = Latch(from);
            if (_statistics is null || _statistics.Ssrc != packet.Ssrc)
            {
                // A new source (the peer restarted or a re-INVITE moved the stream): start over.
                _statistics = new RtpReceiveStatistics(packet.Ssrc, packet.SequenceNumber);
                _jitter.Reset();
            }
            _statistics.Update(packet.SequenceNumber, packet.Timestamp, ElapsedClockUnits());
            if (parameters.Receive)
            {
                if (isEvent)
                {
                    digit = _dtmfReceiver.Receive(packet.Timestamp, packet.Payload);
                    if (digit is not null)
                    {
                        _dtmfReceivedCount++;
                    }
                    // Events take sequence numbers from the audio stream; an empty entry keeps the
                    // buffer's sequence continuous so the event plays out as silence, not as loss.
                    _jitter.Push(packet.SequenceNumber, packet.Timestamp, packet.PayloadType, []);
                }
                else
                {
                    _jitter.Push(packet.SequenceNumber, packet.Timestamp, packet.PayloadType, packet.Payload);
                }
            }
        }
        if (latched is not null)
        {
            RemoteLatched?.Invoke(latched);
        }
        if (digit is { } d)
        {
            DtmfReceived?.Invoke(d);
        }
    }

    // Symmetric RTP (RFC 4961 §4): answer to where the peer's packets come from. Latch on the first
    // one; move only if the latched source has been silent for a while, so a stray or spoofed
    // packet cannot steal an active stream.
    private IPEndPoint? Latch(SocketAddress from)
    {
        var now = _time.GetTimestamp();
        if (_latchedRtpAddress is not null && _latchedRtpAddress.Equals(from))
        {
            _lastFromLatched = now;
            return null;
        }
        if (_latchedRtpAddress is not null && _time.GetElapsedTime(_lastFromLatched, now) < _options.RelatchAfter)
        {
            return null;
        }
        var copy = new SocketAddress(from.Family, from.Size);
        from.Buffer.Span[..from.Size].CopyTo(copy.Buffer.Span);
        _latchedRtpAddress = copy;
        _remoteRtp = copy;
        _lastFromLatched = now;
        _latchedRtp = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(copy);
        return _latchedRtp;
    }
}
