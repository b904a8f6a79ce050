using Aicc.Telephony.Rtp;

namespace Aicc.Telephony.Tests.Rtp;

public sealed class RtcpTests
{
    [Fact]
    public void SenderReportWithBlocksAndCnameRoundTrips()
    {
        var buffer = new byte[512];
        var info = new RtcpSenderInfo(0x83AA7E80_80000000UL, 123456, 500, 80000);
        RtcpReportBlock[] blocks = [new(0xCAFEBABE, 64, -3, 70000, 42, 0x7E808000, 65536)];

        var length = Rtcp.WriteCompound(buffer, 0x11111111, info, blocks, "leg@aicc", bye: true);

        Assert.Equal(0, length % 4);
        Assert.Equal(0x80 | 1, buffer[0]);
        Assert.Equal(Rtcp.SenderReportType, buffer[1]);
        Assert.True(Rtcp.TryParse(buffer.AsSpan(0, length), out var compound));
        var report = Assert.Single(compound.Reports);
        Assert.Equal(0x11111111u, report.Ssrc);
        Assert.Equal(info, report.SenderInfo);
        Assert.Equal(blocks[0], Assert.Single(report.Blocks));
        Assert.Equal(0.25, report.Blocks[0].FractionLostRatio);
        Assert.Equal("leg@aicc", compound.CanonicalNames[0x11111111]);
        Assert.Equal(0x11111111u, Assert.Single(compound.Byes));
    }

    [Fact]
    public void ReceiverReportHasNoSenderInfo()
    {
        var buffer = new byte[256];
        var length = Rtcp.WriteCompound(buffer, 5, null, [new RtcpReportBlock(6, 0, 0, 1, 2, 0, 0)], "x");
        Assert.Equal(Rtcp.ReceiverReportType, buffer[1]);
        Assert.Equal(8 + 24, ((buffer[2] << 8) | buffer[3]) * 4 + 4);
        Assert.True(Rtcp.TryParse(buffer.AsSpan(0, length), out var compound));
        Assert.Null(compound.Reports[0].SenderInfo);
        Assert.Equal("x", compound.CanonicalNames[5]);
    }

    [Fact]
    public void NtpTimestampCountsFromNineteenHundred()
    {
        var ntp = Rtcp.ToNtp(new DateTimeOffset(1970, 1, 1, 0, 0, 0, 500, TimeSpan.Zero));
        Assert.Equal(2208988800UL, ntp >> 32);
        Assert.Equal(1UL << 31, ntp & 0xFFFFFFFF);
    }

    [Fact]
    public void InvalidCompoundsAreRefused()
    {
        Assert.False(Rtcp.TryParse([0x80, 202, 0, 1, 0, 0, 0, 1], out _)); // must start with SR/RR
        Assert.False(Rtcp.TryParse([0x80, 201, 0, 9, 0, 0, 0, 1], out _)); // length beyond the datagram
        Assert.False(Rtcp.TryParse([0x40, 201, 0, 1, 0, 0, 0, 1], out _)); // version 1
        Assert.False(Rtcp.TryParse([0x81, 201, 0, 1, 0, 0, 0, 1], out _)); // one block announced, none present
        var random = new Random(6);
        var buffer = new byte[100];
        for (var i = 0; i < 5000; i++)
        {
            random.NextBytes(buffer);
            buffer[0] = (byte)(0x80 | (buffer[0] & 0x1F));
            buffer[1] = 200;
            Rtcp.TryParse(buffer.AsSpan(0, random.Next(100)), out _);
        }
    }
}
