using Aicc.Telephony.Rtp;

namespace Aicc.Telephony.Tests.Rtp;

public sealed class JitterBufferTests
{
    private static void Push(JitterBuffer buffer, int sequence) =>
        buffer.Push((ushort)sequence, (uint)(sequence * 160), 0, [(byte)sequence, (byte)(sequence >> 8)]);

    private static List<string> Drain(JitterBuffer buffer, int ticks)
    {
        var played = new List<string>();
        var payload = new byte[JitterBuffer.MaxPayload];
        for (var i = 0; i < ticks; i++)
        {
            var result = buffer.Pop(payload, out var length, out _, out _);
            played.Add(result switch
            {
                JitterPopResult.Frame => (payload[0] | (payload[1] << 8)).ToString(),
                JitterPopResult.Lost => "lost",
                _ => "empty",
            });
            Assert.True(result != JitterPopResult.Frame || length == 2);
        }
        return played;
    }

    [Fact]
    public void WaitsForItsDepthThenPlaysInOrder()
    {
        var buffer = new JitterBuffer(depth: 3);
        Push(buffer, 10);
        Push(buffer, 11);
        Assert.Equal(["empty"], Drain(buffer, 1));
        Push(buffer, 12);
        Assert.Equal(["10", "11", "12", "empty"], Drain(buffer, 4));
        Assert.Equal(1, buffer.Underruns);
    }

    [Fact]
    public void ReordersPacketsThatArriveOutOfOrder()
    {
        var buffer = new JitterBuffer(depth: 3);
        var played = new List<string>();
        foreach (var s in new[] { 3, 1, 2, 5, 4, 7, 6, 8, 9 })
        {
            Push(buffer, s);
            played.AddRange(Drain(buffer, 1)); // one tick per arrival
        }
        played.AddRange(Drain(buffer, 3));
        Assert.Equal(["empty", "empty", "1", "2", "3", "4", "5", "6", "7", "8", "9", "empty"], played);
    }

    [Fact]
    public void PlayoutStartsDepthFramesBehindTheNewestPacket()
    {
        var buffer = new JitterBuffer(depth: 2);
        for (var s = 0; s < 6; s++)
        {
            Push(buffer, s); // a backlog queued before the first tick
        }
        Assert.Equal(["4", "5", "empty"], Drain(buffer, 3));
        Assert.Equal(4, buffer.DroppedForLatency);
    }

    [Fact]
    public void DropsDuplicatesAndLatePackets()
    {
        var buffer = new JitterBuffer(depth: 2);
        Push(buffer, 1);
        Assert.Equal(JitterPushResult.Duplicate, buffer.Push(1, 160, 0, [1, 0]));
        Push(buffer, 2);
        Assert.Equal(["1"], Drain(buffer, 1));
        Push(buffer, 3);
        Assert.Equal(["2"], Drain(buffer, 1));
        Assert.Equal(JitterPushResult.Late, buffer.Push(1, 160, 0, [1, 0]));
        Assert.Equal(1, buffer.DroppedDuplicate);
        Assert.Equal(1, buffer.DroppedLate);
        Assert.Equal(["3"], Drain(buffer, 1));
    }

    [Fact]
    public void AGapIsReportedAsLostOncePacketsBehindItArrived()
    {
        var buffer = new JitterBuffer(depth: 2);
        Push(buffer, 1);
        Push(buffer, 2);
        var played = Drain(buffer, 1);
        Push(buffer, 4);
        played.AddRange(Drain(buffer, 1));
        Push(buffer, 5);
        played.AddRange(Drain(buffer, 3));
        Assert.Equal(["1", "2", "lost", "4", "5"], played);
        Assert.Equal(JitterPushResult.Late, buffer.Push(3, 480, 0, [3, 0])); // too late now
    }

    [Fact]
    public void SequenceNumbersWrapAroundWithoutAGlitch()
    {
        var buffer = new JitterBuffer(depth: 2);
        Push(buffer, 65534);
        Push(buffer, 65535);
        var played = Drain(buffer, 1);
        foreach (var s in new[] { 1, 0, 2 })
        {
            Push(buffer, s); // reordered across the wrap
            played.AddRange(Drain(buffer, 1));
        }
        played.AddRange(Drain(buffer, 1));
        Assert.Equal(["65534", "65535", "0", "1", "2"], played);
    }

    [Fact]
    public void ShedsTheOldestFramesWhenTheSenderRunsAhead()
    {
        var buffer = new JitterBuffer(depth: 2, maxLatency: 4);
        Push(buffer, 0);
        Push(buffer, 1);
        Assert.Equal(["0"], Drain(buffer, 1));
        for (var s = 2; s < 8; s++)
        {
            Push(buffer, s); // a burst while playing
        }
        Assert.Equal(["4", "5", "6", "7"], Drain(buffer, 4));
        Assert.Equal(3, buffer.DroppedForLatency);
    }

    [Fact]
    public void AJumpFarAheadRestartsTheBuffer()
    {
        var buffer = new JitterBuffer(depth: 2, maxLatency: 4);
        Push(buffer, 1);
        Push(buffer, 2);
        Assert.Equal(["1"], Drain(buffer, 1));
        Assert.Equal(JitterPushResult.Restarted, buffer.Push(5000, 0, 0, [0x88, 0x13]));
        Push(buffer, 5001);
        Assert.Equal(["5000", "5001"], Drain(buffer, 2));
    }

    [Fact]
    public void TwoPacketsFarBehindInSequenceMeanTheSenderRestartedItsNumbering()
    {
        var buffer = new JitterBuffer(depth: 1, maxLatency: 4);
        Push(buffer, 30000);
        Assert.Equal(["30000"], Drain(buffer, 1));
        Assert.Equal(JitterPushResult.Late, buffer.Push(100, 0, 0, [100, 0]));
        Assert.Equal(JitterPushResult.Restarted, buffer.Push(101, 0, 0, [101, 0]));
        Assert.Equal(["101"], Drain(buffer, 1));
    }

    [Fact]
    public void OversizedPayloadsAreRefused()
    {
        var buffer = new JitterBuffer();
        Assert.Equal(JitterPushResult.TooLarge, buffer.Push(1, 0, 0, new byte[JitterBuffer.MaxPayload + 1]));
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void ConcealmentRepeatsTheLastFrameFadingToSilence()
    {
        var concealer = new LossConcealer(4);
        concealer.Good([400, -400, 800, 0]);
        var frame = new short[4];
        concealer.Conceal(frame);
        Assert.Equal(new short[] { 300, -300, 600, 0 }, frame);
        concealer.Conceal(frame);
        Assert.Equal(new short[] { 200, -200, 400, 0 }, frame);
        concealer.Conceal(frame);
        Assert.Equal(new short[] { 100, -100, 200, 0 }, frame);
        concealer.Conceal(frame);
        Assert.Equal(new short[4], frame);
        concealer.Good([8, 8, 8, 8]);
        concealer.Conceal(frame);
        Assert.Equal(new short[] { 6, 6, 6, 6 }, frame);
        Assert.Equal(5, concealer.Concealed);
    }

    [Fact]
    public void LevelIsTheLatencyInFramesWhilePlaying()
    {
        var buffer = new JitterBuffer(depth: 2, maxLatency: 10);
        Push(buffer, 0);
        Assert.Equal(0, buffer.Level);
        Push(buffer, 1);
        Assert.Equal(["0"], Drain(buffer, 1));
        for (var s = 2; s < 9; s++)
        {
            Push(buffer, s); // a burst while playing
        }
        Assert.Equal(8, buffer.Level);
        Drain(buffer, 8);
        Assert.Equal(0, buffer.Level);
    }
}
