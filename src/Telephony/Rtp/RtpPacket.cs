using System.Buffers.Binary;

namespace Aicc.Telephony.Rtp;

/// <summary>Why a datagram is not an RTP packet we accept (RFC 3550 §5.1, §A.1 validity checks).</summary>
public enum RtpParseError
{
    None,
    TooShort,
    WrongVersion,
    CsrcBeyondEnd,
    ExtensionBeyondEnd,
    BadPadding,
    LooksLikeRtcp,
}

/// <summary>The fixed header fields we write on every packet (RFC 3550 §5.1).</summary>
public readonly record struct RtpHeader(bool Marker, byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc);

/// <summary>
/// A parsed view over one RTP datagram (RFC 3550 §5.1): the fixed header, CSRC list, header
/// extension (§5.3.1) and padding, with the payload as a slice of the same buffer. A ref struct so
/// the receive path reads packets without copying or allocating.
/// </summary>
public readonly ref struct RtpPacket
{
    /// <summary>Fixed header length in bytes.</summary>
    public const int HeaderLength = 12;

    private readonly ReadOnlySpan<byte> _data;

    private RtpPacket(ReadOnlySpan<byte> data, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> extension)
    {
        _data = data;
        Payload = payload;
        ExtensionData = extension;
    }

    public int Version => _data[0] >> 6;

    public bool HasPadding => (_data[0] & 0x20) != 0;

    public bool HasExtension => (_data[0] & 0x10) != 0;

    public int CsrcCount => _data[0] & 0x0F;

    public bool Marker => (_data[1] & 0x80) != 0;

    public byte PayloadType => (byte)(_data[1] & 0x7F);

    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_data[2..]);

    public uint Timestamp => BinaryPrimitives.ReadUInt32BigEndian(_data[4..]);

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_data[8..]);

    /// <summary>The profile-defined 16 bits of the header extension (§5.3.1); 0 without one.</summary>
    public ushort ExtensionProfile => HasExtension ? BinaryPrimitives.ReadUInt16BigEndian(_data[(HeaderLength + (4 * CsrcCount))..]) : (ushort)0;

    /// <summary>The header extension's data words (without its 4-byte preamble).</summary>
    public ReadOnlySpan<byte> ExtensionData { get; }

    /// <summary>The payload, without padding.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    public RtpHeader Header => new(Marker, PayloadType, SequenceNumber, Timestamp, Ssrc);

    /// <summary>The i-th contributing source (§5.1: CSRC list, 0 to 15 items).</summary>
    public uint GetCsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(_data[(HeaderLength + (4 * index))..]);
    }

    /// <summary>
    /// Validates and parses a datagram. Payload types 72-76 are refused because with the marker bit
    /// they collide with RTCP packet types 200-204 (RFC 3550 §A.1, RFC 5761 §4).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out RtpPacket packet, out RtpParseError error)
    {
        packet = default;
        if (data.Length < HeaderLength)
        {
            error = RtpParseError.TooShort;
            return false;
        }
        if (data[0] >> 6 != 2)
        {
            error = RtpParseError.WrongVersion;
            return false;
        }
        var pt = data[1] & 0x7F;
        if (pt is >= 72 and <= 76)
        {
            error = RtpParseError.LooksLikeRtcp;
            return false;
        }
        var offset = HeaderLength + (4 * (data[0] & 0x0F));
        if (offset > data.Length)
        {
            error = RtpParseError.CsrcBeyondEnd;
            return false;
        }
        var extension = ReadOnlySpan<byte>.Empty;
        if ((data[0] & 0x10) != 0)
        {
            if (offset + 4 > data.Length)
            {
                error = RtpParseError.ExtensionBeyondEnd;
                return false;
            }
            var words = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            var end = offset + 4 + (4 * words);
            if (end > data.Length)
            {
                error = RtpParseError.ExtensionBeyondEnd;
                return false;
            }
            extension = data[(offset + 4)..end];
            offset = end;
        }
        var payloadEnd = data.Length;
        if ((data[0] & 0x20) != 0)
        {
            // §5.1: the last octet counts the padding octets, itself included.
            var padding = data[^1];
            if (padding == 0 || padding > payloadEnd - offset)
            {
                error = RtpParseError.BadPadding;
                return false;
            }
            payloadEnd -= padding;
        }
        packet = new RtpPacket(data, data[offset..payloadEnd], extension);
        error = RtpParseError.None;
        return true;
    }

    /// <summary>
    /// Writes a packet: fixed header, optional CSRC list, payload. Returns the bytes written.
    /// We never send extensions or padding; the parser accepts both.
    /// </summary>
    public static int Write(Span<byte> destination, in RtpHeader header, ReadOnlySpan<byte> payload, ReadOnlySpan<uint> csrcs = default)
    {
        if (csrcs.Length > 15)
        {
            throw new ArgumentException("At most 15 CSRCs fit the 4-bit CC field.", nameof(csrcs));
        }
        var length = HeaderLength + (4 * csrcs.Length) + payload.Length;
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is too short for the packet.", nameof(destination));
        }
        destination[0] = (byte)(0x80 | csrcs.Length);
        destination[1] = (byte)((header.Marker ? 0x80 : 0) | (header.PayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], header.SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], header.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], header.Ssrc);
        var offset = HeaderLength;
        foreach (var csrc in csrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], csrc);
            offset += 4;
        }
        payload.CopyTo(destination[offset..]);
        return length;
    }
}
