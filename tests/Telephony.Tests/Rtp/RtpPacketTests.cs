using Aicc.Telephony.Rtp;

namespace Aicc.Telephony.Tests.Rtp;

public sealed class RtpPacketTests
{
    [Fact]
    public void WrittenPacketParsesBackWithEveryHeaderField()
    {
        var buffer = new byte[200];
        var payload = Enumerable.Range(0, 160).Select(i => (byte)i).ToArray();
        var header = new RtpHeader(Marker: true, PayloadType: 8, SequenceNumber: 65535, Timestamp: 0xDEADBEEF, Ssrc: 0x01020304);

        var length = RtpPacket.Write(buffer, header, payload, [0xAABBCCDD, 7]);

        Assert.Equal(12 + 8 + 160, length);
        Assert.True(RtpPacket.TryParse(buffer.AsSpan(0, length), out var packet, out var error));
        Assert.Equal(RtpParseError.None, error);
        Assert.Equal(2, packet.Version);
        Assert.Equal(header, packet.Header);
        Assert.Equal(2, packet.CsrcCount);
        Assert.Equal(0xAABBCCDDu, packet.GetCsrc(0));
        Assert.Equal(7u, packet.GetCsrc(1));
        Assert.Equal(payload, packet.Payload.ToArray());
        Assert.False(packet.HasPadding);
        Assert.False(packet.HasExtension);
    }

    [Fact]
    public void ParsesTheWireBytesOfAKnownPacket()
    {
        // V=2, P=0, X=0, CC=0 | M=0, PT=0 | seq 0x1234 | ts 0x00000A0 | ssrc 0x11223344 | 3 payload bytes
        byte[] wire = [0x80, 0x00, 0x12, 0x34, 0x00, 0x00, 0x00, 0xA0, 0x11, 0x22, 0x33, 0x44, 0xFF, 0x7F, 0x00];
        Assert.True(RtpPacket.TryParse(wire, out var packet, out _));
        Assert.Equal(new RtpHeader(false, 0, 0x1234, 160, 0x11223344), packet.Header);
        Assert.Equal(new byte[] { 0xFF, 0x7F, 0x00 }, packet.Payload.ToArray());
    }

    [Fact]
    public void HandlesHeaderExtensionAndPadding()
    {
        // X=1 with one extension word, P=1 with 3 padding octets (count included).
        byte[] wire =
        [
            0xB0, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
            0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAA, 0x00, 0x00,
            0x01, 0x02,
            0x00, 0x00, 0x03,
        ];
        Assert.True(RtpPacket.TryParse(wire, out var packet, out _));
        Assert.True(packet.HasExtension);
        Assert.True(packet.HasPadding);
        Assert.Equal(0xBEDE, packet.ExtensionProfile);
        Assert.Equal(new byte[] { 0x10, 0xAA, 0x00, 0x00 }, packet.ExtensionData.ToArray());
        Assert.Equal(new byte[] { 0x01, 0x02 }, packet.Payload.ToArray());
        Assert.Equal(96, packet.PayloadType);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x00, 0x00 }, RtpParseError.TooShort)]
    [InlineData(new byte[] { 0x40, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, RtpParseError.WrongVersion)]
    [InlineData(new byte[] { 0x82, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4 }, RtpParseError.CsrcBeyondEnd)]
    [InlineData(new byte[] { 0x90, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0, 2, 0, 0, 0, 0 }, RtpParseError.ExtensionBeyondEnd)]
    [InlineData(new byte[] { 0xA0, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, RtpParseError.BadPadding)]
    [InlineData(new byte[] { 0xA0, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9 }, RtpParseError.BadPadding)]
    [InlineData(new byte[] { 0x80, 0xC8, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0 }, RtpParseError.LooksLikeRtcp)]
    public void RefusesInvalidDatagramsWithAReason(byte[] wire, RtpParseError expected)
    {
        Assert.False(RtpPacket.TryParse(wire, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void RandomBytesNeverThrow()
    {
        var random = new Random(3550);
        var buffer = new byte[64];
        for (var i = 0; i < 20000; i++)
        {
            var length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            buffer[0] = (byte)((buffer[0] & 0x3F) | 0x80);
            if (RtpPacket.TryParse(buffer.AsSpan(0, length), out var packet, out _))
            {
                Assert.True(packet.Payload.Length <= length - 12);
            }
        }
    }
}
