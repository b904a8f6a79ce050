namespace Aicc.Telephony.Rtp;

/// <summary>What <see cref="JitterBuffer.Push"/> did with a packet.</summary>
public enum JitterPushResult
{
    Accepted,

    /// <summary>Already buffered: a network duplicate.</summary>
    Duplicate,

    /// <summary>Its playout time has passed; playing it now would shift the timeline.</summary>
    Late,

    /// <summary>Too far ahead of the playout point (the sender jumped); the buffer restarted at it.</summary>
    Restarted,

    /// <summary>Bigger than a slot (more than 60 ms of G.711); not buffered.</summary>
    TooLarge,
}

/// <summary>What <see cref="JitterBuffer.Pop"/> produced for one playout tick.</summary>
public enum JitterPopResult
{
    /// <summary>The next packet in sequence was there; its payload was copied out.</summary>
    Frame,

    /// <summary>The next packet is missing but later ones arrived: conceal one frame and move on.</summary>
    Lost,

    /// <summary>Nothing to play: still filling to the configured depth, or ran dry (underrun).</summary>
    Empty,
}

/// <summary>
/// A fixed-depth playout buffer for one RTP source. Packets go in by sequence number as they
/// arrive (any order); the media clock takes one frame out every 20 ms, starting depth frames
/// behind the newest packet. It reorders, drops
/// duplicates and late packets, reports gaps as <see cref="JitterPopResult.Lost"/> so the caller
/// conceals them, re-fills after an underrun, sheds the oldest frames when more than the maximum
/// latency is buffered, and after a burst drifts back towards its depth by one frame per two seconds, so
/// latency stays bounded and returns to the target (see docs/adr/0005-media-engine.md).
/// Storage is preallocated per buffer: nothing is allocated per packet. Not thread-safe.
/// </summary>
public sealed class JitterBuffer
{
    /// <summary>Largest payload a slot holds: 60 ms of G.711.</summary>
    public const int MaxPayload = 480;

    private readonly long[] _slotSequence;
    private readonly int[] _slotLength;
    private readonly byte[] _slotPayloadType;
    private readonly uint[] _slotTimestamp;
    private readonly byte[] _payloads;
    private readonly int _capacity;
    private long _next = -1;
    private long _highest = -1;
    private int _count;
    private bool _primed;
    private long _restartCandidate = -1;
    private bool _started;

    /// <param name="depth">Frames buffered before playout starts (and after an underrun): the added latency in 20 ms units.</param>
    /// <param name="maxLatency">Frames kept at most before the oldest are shed (clock drift, bursts); at least depth + 1.</param>
    public JitterBuffer(int depth = 3, int maxLatency = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxLatency, depth);
        Depth = depth;
        MaxLatency = maxLatency;
        _capacity = maxLatency * 2;
        _slotSequence = new long[_capacity];
        Array.Fill(_slotSequence, -1);
        _slotLength = new int[_capacity];
        _slotPayloadType = new byte[_capacity];
        _slotTimestamp = new uint[_capacity];
        _payloads = new byte[_capacity * MaxPayload];
    }

    public int Depth { get; }

    public int MaxLatency { get; }

    /// <summary>Packets currently buffered.</summary>
    public int Count => _count;

    /// <summary>Frames between the playout point and the newest packet (the current latency in frames); 0 when not playing.</summary>
    public int Level => _primed && _count > 0 ? (int)(_highest - _next + 1) : 0;

    public long DroppedLate { get; private set; }

    public long DroppedDuplicate { get; private set; }

    /// <summary>Frames discarded to keep latency under <see cref="MaxLatency"/>.</summary>
    public long DroppedForLatency { get; private set; }

    public long Underruns { get; private set; }

    /// <summary>Buffers a packet's payload under its sequence number.</summary>
    public JitterPushResult Push(ushort sequence, uint timestamp, byte payloadType, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayload)
        {
            return JitterPushResult.TooLarge;
        }
        var extended = Extend(sequence);
        var result = JitterPushResult.Accepted;
        if (_next >= 0 && extended < _next)
        {
            // Far behind twice in sequence means the sender restarted its numbering (as RFC 3550
            // §A.1 decides with bad_seq); once is just a very late packet.
            if (_next - extended <= _capacity || extended != _restartCandidate)
            {
                _restartCandidate = extended + 1;
                DroppedLate++;
                return JitterPushResult.Late;
            }
            Reset();
            result = JitterPushResult.Restarted;
        }
        var reference = _next >= 0 ? _next : _highest;
        if (reference >= 0 && extended - reference >= _capacity)
        {
            Reset();
            result = JitterPushResult.Restarted;
        }
        var slot = (int)(extended % _capacity);
        if (_slotSequence[slot] == extended)
        {
            DroppedDuplicate++;
            return JitterPushResult.Duplicate;
        }
        if (_slotSequence[slot] < 0)
        {
            _count++;
        }
        _slotSequence[slot] = extended;
        _slotLength[slot] = payload.Length;
        _slotPayloadType[slot] = payloadType;
        _slotTimestamp[slot] = timestamp;
        payload.CopyTo(_payloads.AsSpan(slot * MaxPayload, MaxPayload));
        if (extended > _highest)
        {
            _highest = extended;
        }
        return result;
    }

    /// <summary>
    /// Takes the frame due at this playout tick. On <see cref="JitterPopResult.Frame"/> the payload
    /// is in <paramref name="payload"/>[..<paramref name="length"/>].
    /// </summary>
    public JitterPopResult Pop(Span<byte> payload, out int length, out byte payloadType, out uint timestamp)
    {
        length = 0;
        payloadType = 0;
        timestamp = 0;
        if (!_primed)
        {
            if (_count < Depth)
            {
                return JitterPopResult.Empty;
            }
            _primed = true;
            // A stream's first playout starts depth frames behind the newest packet: what queued
            // before the leg was up is stale and would only add latency. After an underrun the
            // burst that ends it is the conversation, delayed: it is played (ASR wants it) and the
            // latency bounds below take the excess back.
            _next = _started ? Lowest() : Math.Max(Lowest(), _highest - Depth + 1);
            _started = true;
            for (var i = 0; i < _capacity; i++)
            {
                if (_slotSequence[i] >= 0 && _slotSequence[i] < _next)
                {
                    _slotSequence[i] = -1;
                    _count--;
                    DroppedForLatency++;
                }
            }
        }
        if (_count == 0)
        {
            _primed = false;
            Underruns++;
            return JitterPopResult.Empty;
        }
        // The sender outpaces our clock or a burst arrived: shed the oldest to cap latency.
        while (_highest - _next + 1 > MaxLatency)
        {
            if (Discard(_next))
            {
                DroppedForLatency++;
            }
            _next++;
        }
        var slot = (int)(_next % _capacity);
        _next++;
        if (_slotSequence[slot] != _next - 1)
        {
            return JitterPopResult.Lost;
        }
        length = _slotLength[slot];
        payloadType = _slotPayloadType[slot];
        timestamp = _slotTimestamp[slot];
        _payloads.AsSpan(slot * MaxPayload, length).CopyTo(payload);
        _slotSequence[slot] = -1;
        _count--;
        return JitterPopResult.Frame;
    }

    /// <summary>Forgets everything (a new SSRC, a re-INVITE to another source).</summary>
    public void Reset()
    {
        Array.Fill(_slotSequence, -1);
        _count = 0;
        _next = -1;
        _highest = -1;
        _primed = false;
        _started = false;
    }

    private bool Discard(long extended)
    {
        var slot = (int)(extended % _capacity);
        if (_slotSequence[slot] != extended)
        {
            return false;
        }
        _slotSequence[slot] = -1;
        _count--;
        return true;
    }

    private long Lowest()
    {
        var lowest = long.MaxValue;
        foreach (var sequence in _slotSequence)
        {
            if (sequence >= 0 && sequence < lowest)
            {
                lowest = sequence;
            }
        }
        return lowest;
    }

    // Extends a 16-bit sequence number to the 64-bit value nearest the highest seen, so ordering
    // survives wrap-around (65535 -> 0) in both directions. Starts in cycle 1 so that packets a
    // little before the first one stay non-negative.
    private long Extend(ushort sequence)
    {
        if (_highest < 0)
        {
            return (1L << 16) + sequence;
        }
        var candidate = (_highest & ~0xFFFFL) | sequence;
        if (candidate - _highest > 1 << 15)
        {
            candidate -= 1 << 16;
        }
        else if (_highest - candidate > 1 << 15)
        {
            candidate += 1 << 16;
        }
        return candidate;
    }
}
