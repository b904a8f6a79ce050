using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Aicc.Telephony.Rtp;

/// <summary>
/// One call leg's RTP and RTCP over UDP (RFC 3550): a socket pair, our SSRC, sequence numbers
/// and timestamps, symmetric RTP (RFC 4961: we send to where the peer's packets come from, which
/// gets media through NATs that rewrite the SDP's address), a jitter buffer with concealment,
/// RFC 4733 DTMF both ways, and SR/RR reports. It moves no audio by itself: the media clock
/// calls <see cref="SendFrame"/> and <see cref="ReceiveFrame"/> every 20 ms, so thousands of
/// sessions share one timer. Nothing is allocated per packet on the send or receive path.
/// </summary>
public sealed partial class RtpSession : IAsyncDisposable
{
    private const int FrameSamples = Codecs.FrameFormat.SamplesPerFrame;
    private const int DtmfGapTicks = 3;

    private readonly Socket _rtpSocket;
    private readonly Socket _rtcpSocket;
    private readonly RtpSessionOptions _options;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly object _lock = new();
    private readonly byte[] _sendBuffer = new byte[RtpPacket.HeaderLength + JitterBuffer.MaxPayload];
    private readonly byte[] _payloadBuffer = new byte[JitterBuffer.MaxPayload];
    private readonly DtmfSender _dtmfSender = new();
    private readonly ConcurrentQueue<(byte Event, int DurationMs)> _dtmfQueue = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile RtpSessionParameters? _parameters;
    private volatile SocketAddress? _remoteRtp;
    private SocketAddress? _remoteRtcp;
    private ushort _sequence;
    private uint _timestamp;
    private bool _talkspurtStart = true;
    private int _dtmfGap;
    private long _packetsSent;
    private long _octetsSent;
    private Task? _receiveLoops;
    private int _disposed;

    private RtpSession(Socket rtp, Socket rtcp, RtpSessionOptions options)
    {
        _rtpSocket = rtp;
        _rtcpSocket = rtcp;
        _options = options;
        _time = options.Time;
        _startTimestamp = _time.GetTimestamp();
        Ssrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
        _sequence = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        _timestamp = (uint)Random.Shared.NextInt64(uint.MaxValue);
        CanonicalName = options.CanonicalName ?? $"{Ssrc:x8}@aicc";
        _jitter = new JitterBuffer(options.JitterDepth, options.JitterMaxLatency);
        ScheduleNextReport();
    }

    /// <summary>Our synchronization source identifier (RFC 3550 §3), random per session (§8.1).</summary>
    public uint Ssrc { get; }

    public string CanonicalName { get; }

    public IPEndPoint LocalRtp => (IPEndPoint)_rtpSocket.LocalEndPoint!;

    public IPEndPoint LocalRtcp => (IPEndPoint)_rtcpSocket.LocalEndPoint!;

    /// <summary>The RTP timestamp of the next audio packet.</summary>
    public uint NextTimestamp => _timestamp;

    /// <summary>Called on the receive loop for every new RFC 4733 event. Keep it short and non-blocking.</summary>
    public Action<DtmfDigitReceived>? DtmfReceived { get; set; }

    /// <summary>Called on the receive loop when symmetric RTP latches onto a (new) source address.</summary>
    public Action<IPEndPoint>? RemoteLatched { get; set; }

    /// <summary>Opens a session with a fresh socket pair on <paramref name="address"/>.</summary>
    public static RtpSession Open(IPAddress address, RtpSessionOptions? options = null, RtpPortAllocator? ports = null)
    {
        var (rtp, rtcp) = (ports ?? new RtpPortAllocator()).Bind(address);
        return new RtpSession(rtp, rtcp, options ?? new RtpSessionOptions());
    }

    /// <summary>
    /// Applies negotiated parameters (after the answer, and again on every re-INVITE) and starts
    /// receiving. A new remote address from SDP replaces the latched one until packets say otherwise.
    /// </summary>
    public void Configure(RtpSessionParameters parameters)
    {
        lock (_lock)
        {
            var previous = _parameters;
            _parameters = parameters;
            if (parameters.RemoteRtp is not null && !Equals(previous?.RemoteRtp, parameters.RemoteRtp))
            {
                _remoteRtp = parameters.RemoteRtp.Serialize();
                _latchedRtp = null;
                _latchedRtpAddress = null; // latch afresh onto whatever the new stream comes from
            }
            if (parameters.RemoteRtcp is not null && !Equals(previous?.RemoteRtcp, parameters.RemoteRtcp))
            {
                _remoteRtcp = parameters.RemoteRtcp.Serialize();
            }
            if (!parameters.Send)
            {
                _talkspurtStart = true;
            }
        }
        _receiveLoops ??= Task.WhenAll(
            Task.Run(() => ReceiveRtpLoopAsync(_stop.Token)),
            Task.Run(() => ReceiveRtcpLoopAsync(_stop.Token)));
    }

    /// <summary>Queues DTMF digits to be sent as RFC 4733 events, one after another with a short gap.</summary>
    public void SendDtmf(string digits, int durationMs = 100)
    {
        foreach (var digit in digits)
        {
            var code = TelephoneEvent.FromDigit(digit) ?? throw new ArgumentException($"'{digit}' is not a DTMF digit.", nameof(digits));
            _dtmfQueue.Enqueue((code, durationMs));
        }
    }

    /// <summary>True while DTMF digits are queued or being sent.</summary>
    public bool SendingDtmf => _dtmfSender.Active || !_dtmfQueue.IsEmpty;

    /// <summary>
    /// Sends one 20 ms frame (called by the media clock); an empty span sends nothing unless DTMF is
    /// due. While a DTMF event is on, its packet goes instead of the audio (RFC 4733 §2.5.1: the
    /// event replaces the tone). The timestamp advances
    /// by a frame every call, sent or not (RFC 3550 §5.1: it follows the sampling clock).
    /// </summary>
    public void SendFrame(ReadOnlySpan<short> pcm)
    {
        lock (_lock)
        {
            var parameters = _parameters;
            var remote = _remoteRtp;
            if (parameters is null || remote is null || !parameters.Send)
            {
                _timestamp += FrameSamples;
                _talkspurtStart = true;
                OnTickRtcp();
                return;
            }
            int length;
            if (parameters.TelephoneEventPayloadType is { } eventType && NextDtmfPacket(out var dtmf, out var dtmfMarker))
            {
                var header = new RtpHeader(dtmfMarker, (byte)eventType, _sequence++, _dtmfSender.EventTimestamp, Ssrc);
                Span<byte> payload = stackalloc byte[TelephoneEvent.Length];
                dtmf.WriteTo(payload);
                length = RtpPacket.Write(_sendBuffer, header, payload);
            }
            else if (pcm.IsEmpty)
            {
                // Nothing to say this tick (silence suppression): time moves on, the next packet
                // starts a talkspurt.
                _timestamp += FrameSamples;
                _talkspurtStart = true;
                OnTickRtcp();
                return;
            }
            else
            {
                var samples = pcm.Length > FrameSamples ? pcm[..FrameSamples] : pcm;
                var encoded = parameters.Codec.Encode(samples, _payloadBuffer);
                var header = new RtpHeader(_talkspurtStart, (byte)parameters.PayloadType, _sequence++, _timestamp, Ssrc);
                length = RtpPacket.Write(_sendBuffer, header, _payloadBuffer.AsSpan(0, encoded));
                _talkspurtStart = false;
            }
            _timestamp += FrameSamples;
            try
            {
                _rtpSocket.SendTo(_sendBuffer.AsSpan(0, length), SocketFlags.None, remote);
                _packetsSent++;
                _octetsSent += length - RtpPacket.HeaderLength;
            }
            catch (SocketException)
            {
                // A full socket buffer or an unreachable peer loses this packet, as the network would.
            }
            catch (ObjectDisposedException)
            {
            }
            OnTickRtcp();
        }
    }

    private bool NextDtmfPacket(out TelephoneEvent payload, out bool marker)
    {
        if (!_dtmfSender.Active)
        {
            if (_dtmfGap > 0)
            {
                _dtmfGap--;
            }
            else if (_dtmfQueue.TryDequeue(out var next))
            {
                _dtmfSender.Start(next.Event, next.DurationMs, _timestamp);
            }
        }
        if (_dtmfSender.TryNext(out payload, out marker))
        {
            if (!_dtmfSender.Active)
            {
                _dtmfGap = DtmfGapTicks;
                _talkspurtStart = true;
            }
            return true;
        }
        return false;
    }

    /// <summary>A snapshot of the counters.</summary>
    public RtpSessionStatistics Statistics
    {
        get
        {
            lock (_lock)
            {
                return new RtpSessionStatistics(
                    _packetsSent,
                    _octetsSent,
                    Interlocked.Read(ref _packetsReceived),
                    Interlocked.Read(ref _packetsInvalid),
                    _statistics?.CumulativeLost ?? 0,
                    _statistics?.Jitter ?? 0,
                    _framesPlayed,
                    _concealer.Concealed,
                    _jitter.DroppedLate,
                    _jitter.DroppedDuplicate,
                    _jitter.DroppedForLatency,
                    _silenceDrained,
                    _dtmfReceivedCount,
                    _rtcpSent,
                    _rtcpReceived,
                    _latchedRtp,
                    _remoteReport,
                    _roundTrip);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        lock (_lock)
        {
            SendReport(bye: true); // RFC 3550 §6.6: say goodbye so the peer stops expecting us
        }
        await _stop.CancelAsync();
        _rtpSocket.Dispose();
        _rtcpSocket.Dispose();
        if (_receiveLoops is not null)
        {
            await _receiveLoops.ConfigureAwait(false);
        }
        _stop.Dispose();
    }

    private long ElapsedClockUnits() => _time.GetElapsedTime(_startTimestamp).Ticks * Codecs.FrameFormat.SampleRate / TimeSpan.TicksPerSecond;
}
