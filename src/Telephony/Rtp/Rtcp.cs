using System.Buffers.Binary;
using System.Text;

namespace Aicc.Telephony.Rtp;

/// <summary>
/// One reception report block (RFC 3550 §6.4.1): how a receiver sees one source. Carried in
/// SR and RR packets; tells each side the other's loss and jitter.
/// </summary>
public readonly record struct RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    /// <summary>The loss fraction as a number between 0 and 1 (§6.4.1: fixed point, binary point at the left).</summary>
    public double FractionLostRatio => FractionLost / 256.0;
}

/// <summary>The sender info of an SR (RFC 3550 §6.4.1): NTP and RTP time of the same instant plus counts.</summary>
public readonly record struct RtcpSenderInfo(ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount)
{
    /// <summary>The middle 32 bits of the NTP timestamp: what a receiver echoes as LSR (§6.4.1).</summary>
    public uint NtpMiddle => (uint)(NtpTimestamp >> 16);
}

/// <summary>An SR or RR as received (RFC 3550 §6.4).</summary>
public sealed record RtcpReport(uint Ssrc, RtcpSenderInfo? SenderInfo, IReadOnlyList<RtcpReportBlock> Blocks);

/// <summary>What a compound RTCP packet carried that we act on.</summary>
public sealed record RtcpCompound(IReadOnlyList<RtcpReport> Reports, IReadOnlyDictionary<uint, string> CanonicalNames, IReadOnlyList<uint> Byes);

/// <summary>
/// RTCP sender and receiver reports (RFC 3550 §6.4), SDES CNAME (§6.5.1) and BYE (§6.6), written
/// and read over spans. Exists because trunks and softphones judge a call by these reports and
/// because our operators need the other side's view of loss and jitter.
/// </summary>
public static class Rtcp
{
    public const byte SenderReportType = 200;
    public const byte ReceiverReportType = 201;
    public const byte SourceDescriptionType = 202;
    public const byte ByeType = 203;

    private static readonly DateTime NtpEpoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Converts wall-clock time to a 64-bit NTP timestamp (§4: seconds since 1900, 32.32 fixed point).</summary>
    public static ulong ToNtp(DateTimeOffset time)
    {
        var ticks = time.UtcDateTime.Ticks - NtpEpoch.Ticks;
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    /// <summary>
    /// Writes a compound packet (§6.1): an SR when <paramref name="senderInfo"/> is given, else an
    /// RR, then an SDES with our CNAME, and a BYE when leaving. Returns the bytes written.
    /// </summary>
    public static int WriteCompound(
        Span<byte> destination,
        uint ssrc,
        RtcpSenderInfo? senderInfo,
        ReadOnlySpan<RtcpReportBlock> blocks,
        string canonicalName,
        bool bye = false)
    {
        if (blocks.Length > 31)
        {
            throw new ArgumentException("At most 31 report blocks fit the 5-bit RC field.", nameof(blocks));
        }
        var offset = 0;
        var reportLength = 8 + (senderInfo is null ? 0 : 20) + (24 * blocks.Length);
        WriteCommonHeader(destination, blocks.Length, senderInfo is null ? ReceiverReportType : SenderReportType, reportLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        offset = 8;
        if (senderInfo is { } info)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination[offset..], info.NtpTimestamp);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 8)..], info.RtpTimestamp);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 12)..], info.PacketCount);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 16)..], info.OctetCount);
            offset += 20;
        }
        foreach (var block in blocks)
        {
            var b = destination[offset..];
            BinaryPrimitives.WriteUInt32BigEndian(b, block.Ssrc);
            // Cumulative lost is a signed 24-bit field after the 8-bit fraction.
            var lost = block.CumulativeLost & 0xFFFFFF;
            BinaryPrimitives.WriteUInt32BigEndian(b[4..], ((uint)block.FractionLost << 24) | (uint)lost);
            BinaryPrimitives.WriteUInt32BigEndian(b[8..], block.ExtendedHighestSequence);
            BinaryPrimitives.WriteUInt32BigEndian(b[12..], block.Jitter);
            BinaryPrimitives.WriteUInt32BigEndian(b[16..], block.LastSenderReport);
            BinaryPrimitives.WriteUInt32BigEndian(b[20..], block.DelaySinceLastSenderReport);
            offset += 24;
        }

        // SDES (§6.5): one chunk, CNAME item, null-terminated item list padded to 32 bits.
        var cname = Encoding.UTF8.GetBytes(canonicalName);
        var nameLength = Math.Min(cname.Length, 255);
        var chunk = 4 + 2 + nameLength + 1;
        var padded = (chunk + 3) & ~3;
        WriteCommonHeader(destination[offset..], 1, SourceDescriptionType, 4 + padded);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 4)..], ssrc);
        destination[offset + 8] = 1;
        destination[offset + 9] = (byte)nameLength;
        cname.AsSpan(0, nameLength).CopyTo(destination[(offset + 10)..]);
        destination.Slice(offset + 10 + nameLength, padded - 6 - nameLength).Clear();
        offset += 4 + padded;

        if (bye)
        {
            WriteCommonHeader(destination[offset..], 1, ByeType, 8);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 4)..], ssrc);
            offset += 8;
        }
        return offset;
    }

    /// <summary>
    /// Reads a compound packet, checking the §A.2 validity rules (version 2, first packet SR or RR,
    /// lengths add up). Unknown packet types are skipped. Returns false for an invalid packet.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out RtcpCompound compound)
    {
        compound = new RtcpCompound([], new Dictionary<uint, string>(), []);
        var reports = new List<RtcpReport>();
        var names = new Dictionary<uint, string>();
        var byes = new List<uint>();
        var offset = 0;
        var first = true;
        while (offset < data.Length)
        {
            if (data.Length - offset < 4)
            {
                return false;
            }
            var header = data[offset..];
            if (header[0] >> 6 != 2)
            {
                return false;
            }
            var count = header[0] & 0x1F;
            var type = header[1];
            var length = (BinaryPrimitives.ReadUInt16BigEndian(header[2..]) + 1) * 4;
            if (length > data.Length - offset || (first && type is not (SenderReportType or ReceiverReportType)))
            {
                return false;
            }
            var packet = data.Slice(offset, length);
            if ((header[0] & 0x20) != 0 && offset + length != data.Length)
            {
                return false; // §A.2: only the last packet of a compound may be padded
            }
            switch (type)
            {
                case SenderReportType or ReceiverReportType:
                    if (!TryReadReport(packet, count, type == SenderReportType, out var report))
                    {
                        return false;
                    }
                    reports.Add(report);
                    break;
                case SourceDescriptionType:
                    ReadCanonicalNames(packet, count, names);
                    break;
                case ByeType:
                    for (var i = 0; i < count && 8 + (4 * i) <= packet.Length; i++)
                    {
                        byes.Add(BinaryPrimitives.ReadUInt32BigEndian(packet[(4 + (4 * i))..]));
                    }
                    break;
            }
            offset += length;
            first = false;
        }
        compound = new RtcpCompound(reports, names, byes);
        return reports.Count > 0;
    }

    private static void WriteCommonHeader(Span<byte> destination, int count, byte type, int lengthInBytes)
    {
        destination[0] = (byte)(0x80 | count);
        destination[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((lengthInBytes / 4) - 1));
    }

    private static bool TryReadReport(ReadOnlySpan<byte> packet, int count, bool sender, out RtcpReport report)
    {
        report = null!;
        var needed = 8 + (sender ? 20 : 0) + (24 * count);
        if (packet.Length < needed)
        {
            return false;
        }
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        RtcpSenderInfo? info = null;
        var offset = 8;
        if (sender)
        {
            info = new RtcpSenderInfo(
                BinaryPrimitives.ReadUInt64BigEndian(packet[8..]),
                BinaryPrimitives.ReadUInt32BigEndian(packet[16..]),
                BinaryPrimitives.ReadUInt32BigEndian(packet[20..]),
                BinaryPrimitives.ReadUInt32BigEndian(packet[24..]));
            offset = 28;
        }
        var blocks = new RtcpReportBlock[count];
        for (var i = 0; i < count; i++)
        {
            var b = packet[(offset + (24 * i))..];
            var lossWord = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
            var cumulative = (int)(lossWord & 0xFFFFFF);
            if ((cumulative & 0x800000) != 0)
            {
                cumulative -= 0x1000000; // sign-extend the 24-bit field
            }
            blocks[i] = new RtcpReportBlock(
                BinaryPrimitives.ReadUInt32BigEndian(b),
                (byte)(lossWord >> 24),
                cumulative,
                BinaryPrimitives.ReadUInt32BigEndian(b[8..]),
                BinaryPrimitives.ReadUInt32BigEndian(b[12..]),
                BinaryPrimitives.ReadUInt32BigEndian(b[16..]),
                BinaryPrimitives.ReadUInt32BigEndian(b[20..]));
        }
        report = new RtcpReport(ssrc, info, blocks);
        return true;
    }

    private static void ReadCanonicalNames(ReadOnlySpan<byte> packet, int chunks, Dictionary<uint, string> names)
    {
        var offset = 4;
        for (var c = 0; c < chunks && offset + 4 <= packet.Length; c++)
        {
            var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[offset..]);
            offset += 4;
            while (offset < packet.Length && packet[offset] != 0)
            {
                if (offset + 2 > packet.Length)
                {
                    return;
                }
                var itemType = packet[offset];
                var itemLength = packet[offset + 1];
                if (offset + 2 + itemLength > packet.Length)
                {
                    return;
                }
                if (itemType == 1)
                {
                    names[ssrc] = Encoding.UTF8.GetString(packet.Slice(offset + 2, itemLength));
                }
                offset += 2 + itemLength;
            }
            // Skip the terminating null octets up to the next 32-bit boundary.
            offset = (offset + 4) & ~3;
        }
    }
}
