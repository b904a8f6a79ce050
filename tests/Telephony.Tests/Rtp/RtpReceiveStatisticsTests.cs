using Aicc.Telephony.Rtp;

namespace Aicc.Telephony.Tests.Rtp;

public sealed class RtpReceiveStatisticsTests
{
    private static RtpReceiveStatistics Stream(ushort first, int count, Func<int, bool>? deliver = null, long jitterAt = -1)
    {
        var stats = new RtpReceiveStatistics(1, first);
        for (var i = 0; i < count; i++)
        {
            if (deliver is null || deliver(i))
            {
                stats.Update((ushort)(first + i), (uint)(i * 160), i * 160L);
            }
        }
        return stats;
    }

    [Fact]
    public void ASourceIsCountedOnceProbationPasses()
    {
        var stats = new RtpReceiveStatistics(1, 100);
        Assert.Equal(SequenceVerdict.Probation, stats.Update(100, 0, 0));
        Assert.Equal(SequenceVerdict.Valid, stats.Update(101, 160, 160));
        Assert.Equal(SequenceVerdict.Valid, stats.Update(102, 320, 320));
        Assert.Equal(2, stats.Received);
        Assert.Equal(0, stats.CumulativeLost);
        Assert.Equal(102u, stats.ExtendedHighestSequence);
    }

    [Fact]
    public void SequenceWrapAroundAddsACycle()
    {
        var stats = Stream(65530, 20);
        Assert.Equal((1u << 16) + 13, stats.ExtendedHighestSequence);
        Assert.Equal(0, stats.CumulativeLost);
        Assert.Equal(19, stats.Received);
    }

    [Fact]
    public void LossIsCumulativeAndFractionIsPerInterval()
    {
        // Packets 0 and 1 start the source; then every 4th packet of 400 is lost.
        var stats = Stream(1000, 402, i => i < 2 || i % 4 != 3);
        Assert.Equal(100, stats.CumulativeLost);
        Assert.Equal(63, stats.TakeFractionLost()); // (100 << 8) / 401 expected (the first packet was probation)
        Assert.Equal(0, stats.TakeFractionLost());  // nothing new since the last report
    }

    [Fact]
    public void DuplicatesMakeLossNegativeButFractionZero()
    {
        var stats = Stream(0, 10);
        stats.Update(9, 9 * 160, 9 * 160);
        stats.Update(9, 9 * 160, 9 * 160);
        Assert.Equal(-2, stats.CumulativeLost);
        Assert.Equal(0, stats.TakeFractionLost());
    }

    [Fact]
    public void AHugeJumpIsIgnoredOnceAndRestartsTheSourceWhenItContinues()
    {
        var stats = Stream(10, 10);
        Assert.Equal(SequenceVerdict.BadJump, stats.Update(40000, 0, 0));
        Assert.Equal(SequenceVerdict.Valid, stats.Update(40001, 160, 160));
        Assert.Equal(40001u, stats.ExtendedHighestSequence);
        Assert.Equal(1, stats.Received);
    }

    [Fact]
    public void JitterFollowsTheRfcEstimator()
    {
        var stats = new RtpReceiveStatistics(1, 0);
        stats.Update(0, 0, 0);
        // Arrivals alternate 0 and 80 units (10 ms at 8 kHz) off the sending schedule.
        double expected = 0;
        long previousTransit = 0;
        var haveTransit = false;
        for (var i = 1; i < 200; i++)
        {
            var arrival = i * 160L + (i % 2 == 0 ? 80 : 0);
            stats.Update((ushort)i, (uint)(i * 160), arrival);
            var transit = arrival - (i * 160L);
            if (haveTransit)
            {
                expected += (Math.Abs(transit - previousTransit) - expected) / 16;
            }
            previousTransit = transit;
            haveTransit = true;
        }
        Assert.Equal((uint)expected, stats.Jitter);
        Assert.InRange(stats.Jitter, 75u, 80u); // converges on |D| = 80
    }

    [Fact]
    public void SteadyArrivalsHaveNoJitter()
    {
        Assert.Equal(0u, Stream(0, 100).Jitter);
    }
}
