using System.Net;
using System.Net.Sockets;

namespace Aicc.Telephony.Rtp;

public sealed partial class RtpSession
{
    private readonly JitterBuffer _jitter;
    private readonly LossConcealer _concealer = new();
    private readonly DtmfReceiver _dtmfReceiver = new();
    private readonly byte[] _popBuffer = new byte[JitterBuffer.MaxPayload];
    private readonly PacketRing _ring = new(64);
    private RtpReceiveStatistics? _statistics;
    private volatile IPEndPoint? _latchedRtp;
    private volatile SocketAddress? _latchedRtpAddress;
    private long _lastFromLatched;
    private long _packetsReceived;
    private long _packetsInvalid;
    private long _framesPlayed;
    private long _dtmfReceivedCount;
    private int _excessTicks;
    private long _silenceDrained;

    /// <summary>Ticks the jitter buffer must run above depth + 2 before a silent frame is dropped to cut latency.</summary>
    public const int DrainAfterTicks = 25;

    // About -44 dBFS: a frame this quiet is a pause, and dropping it is inaudible.
    private const double SilenceRms = 200;

    /// <summary>
    /// Takes the frame due now from the jitter buffer (called by the media clock): decoded audio,
    /// a concealment frame for a lost packet, or <see cref="JitterPopResult.Empty"/> with silence in
    /// <paramref name="pcm"/> when nothing is due. Packets the receive loop handed over since the
    /// last tick enter the jitter buffer first. One caller at a time (the clock).
    /// </summary>
    public JitterPopResult ReceiveFrame(Span<short> pcm)
    {
        lock (_lock)
        {
            DrainReceived();
            var frame = pcm[..FrameSamples];
            var parameters = _parameters;
            var excess = _jitter.Level > _jitter.Depth + 2;
            _excessTicks = excess ? _excessTicks + 1 : 0;
            var result = _jitter.Pop(_popBuffer, out var length, out _, out _);
            if (result == JitterPopResult.Frame && parameters is not null && _excessTicks >= DrainAfterTicks)
            {
                // After a delay spike the buffer stays deep (one packet in, one frame out). Win the
                // latency back in pauses of speech: play the next frame instead of a silent one.
                var decodedLength = parameters.Codec.Decode(_popBuffer.AsSpan(0, Math.Min(length, FrameSamples)), frame);
                if (Rms(frame[..decodedLength]) < SilenceRms && _jitter.Count > 0)
                {
                    _excessTicks = 0;
                    _silenceDrained++;
                    result = _jitter.Pop(_popBuffer, out length, out _, out _);
                }
            }
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

    private static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }
        double sum = 0;
        foreach (var sample in samples)
        {
            sum += (double)sample * sample;
        }
        return Math.Sqrt(sum / samples.Length);
    }

    // Under _lock, on the clock's thread: statistics, DTMF and the jitter buffer see packets in
    // arrival order without the receive loop ever holding the lock the clock needs.
    private void DrainReceived()
    {
        var parameters = _parameters;
        while (_ring.TryPeek(out var header, out var payload, out var arrival))
        {
            if (parameters is not null)
            {
                if (_statistics is null || _statistics.Ssrc != header.Ssrc)
                {
                    // A new source (the peer restarted or a re-INVITE moved the stream): start over.
                    _statistics = new RtpReceiveStatistics(header.Ssrc, header.SequenceNumber);
                    _jitter.Reset();
                }
                _statistics.Update(header.SequenceNumber, header.Timestamp, arrival);
                if (parameters.Receive)
                {
                    if (header.PayloadType == parameters.TelephoneEventPayloadType)
                    {
                        if (_dtmfReceiver.Receive(header.Timestamp, payload) is { } digit)
                        {
                            _dtmfReceivedCount++;
                            DtmfReceived?.Invoke(digit);
                        }
                        // Events take sequence numbers from the audio stream; an empty entry keeps the
                        // buffer's sequence continuous so the event plays out as silence, not as loss.
                        _jitter.Push(header.SequenceNumber, header.Timestamp, header.PayloadType, []);
                    }
                    else
                    {
                        _jitter.Push(header.SequenceNumber, header.Timestamp, header.PayloadType, payload);
                    }
                }
            }
            _ring.Advance();
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

    // On the receive loop, without _lock: validate, latch, hand over to the clock.
    private void OnRtp(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        var parameters = _parameters;
        if (parameters is null || !RtpPacket.TryParse(datagram, out var packet, out _))
        {
            Interlocked.Increment(ref _packetsInvalid);
            return;
        }
        if (packet.PayloadType != parameters.PayloadType && packet.PayloadType != parameters.TelephoneEventPayloadType)
        {
            Interlocked.Increment(ref _packetsInvalid); // comfort noise or a payload type nobody negotiated
            return;
        }
        Interlocked.Increment(ref _packetsReceived);
        var latched = Latch(from);
        _ring.TryWrite(packet.Header, packet.Payload, ElapsedClockUnits());
        if (latched is not null)
        {
            RemoteLatched?.Invoke(latched);
        }
    }

    // Symmetric RTP (RFC 4961 §4): answer to where the peer's packets come from. Latch on the first
    // one; move only if the latched source has been silent for a while, so a stray or spoofed
    // packet cannot steal an active stream. Only the receive loop runs this; the clock reads
    // _remoteRtp, which is swapped as a whole reference.
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
        var endPoint = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(copy);
        _latchedRtp = endPoint;
        return endPoint;
    }
}
