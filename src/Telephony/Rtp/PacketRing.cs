namespace Aicc.Telephony.Rtp;

/// <summary>
/// A fixed single-producer, single-consumer ring of received RTP packets: the receive loop puts
/// packets in, the media clock takes them out at its tick. It exists so the clock thread never
/// waits for a lock held by a receive thread that the scheduler has pre-empted (a priority
/// inversion that stalls every call on a busy machine). Preallocated; a full ring drops the packet.
/// </summary>
internal sealed class PacketRing
{
    private readonly int _capacity;
    private readonly byte[] _payloads;
    private readonly int[] _lengths;
    private readonly ushort[] _sequences;
    private readonly uint[] _timestamps;
    private readonly uint[] _ssrcs;
    private readonly byte[] _payloadTypes;
    private readonly long[] _arrivals;
    private long _head; // next slot to write, advanced by the producer only
    private long _tail; // next slot to read, advanced by the consumer only

    public PacketRing(int capacity)
    {
        _capacity = capacity;
        _payloads = new byte[capacity * JitterBuffer.MaxPayload];
        _lengths = new int[capacity];
        _sequences = new ushort[capacity];
        _timestamps = new uint[capacity];
        _ssrcs = new uint[capacity];
        _payloadTypes = new byte[capacity];
        _arrivals = new long[capacity];
    }

    public long Overflows { get; private set; }

    /// <summary>Producer side: copies a packet in; false (and counted) when the ring is full or the payload too big.</summary>
    public bool TryWrite(in RtpHeader header, ReadOnlySpan<byte> payload, long arrival)
    {
        var head = _head;
        if (head - Volatile.Read(ref _tail) >= _capacity || payload.Length > JitterBuffer.MaxPayload)
        {
            Overflows++;
            return false;
        }
        var slot = (int)(head % _capacity);
        payload.CopyTo(_payloads.AsSpan(slot * JitterBuffer.MaxPayload));
        _lengths[slot] = payload.Length;
        _sequences[slot] = header.SequenceNumber;
        _timestamps[slot] = header.Timestamp;
        _ssrcs[slot] = header.Ssrc;
        _payloadTypes[slot] = header.PayloadType;
        _arrivals[slot] = arrival;
        Volatile.Write(ref _head, head + 1); // publish after the slot is complete
        return true;
    }

    /// <summary>Consumer side: the oldest packet, valid until the next <see cref="Advance"/>.</summary>
    public bool TryPeek(out RtpHeader header, out ReadOnlySpan<byte> payload, out long arrival)
    {
        var tail = _tail;
        if (tail >= Volatile.Read(ref _head))
        {
            header = default;
            payload = default;
            arrival = 0;
            return false;
        }
        var slot = (int)(tail % _capacity);
        header = new RtpHeader(false, _payloadTypes[slot], _sequences[slot], _timestamps[slot], _ssrcs[slot]);
        payload = _payloads.AsSpan(slot * JitterBuffer.MaxPayload, _lengths[slot]);
        arrival = _arrivals[slot];
        return true;
    }

    /// <summary>Consumer side: releases the slot returned by the last <see cref="TryPeek"/>.</summary>
    public void Advance() => Volatile.Write(ref _tail, _tail + 1);
}
