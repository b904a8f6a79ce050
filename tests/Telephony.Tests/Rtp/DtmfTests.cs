using Aicc.Telephony.Rtp;

namespace Aicc.Telephony.Tests.Rtp;

public sealed class DtmfTests
{
    [Fact]
    public void AnEventIsAMarkedStartUpdatesAndThreeEndPacketsWithOneTimestamp()
    {
        var sender = new DtmfSender();
        sender.Start(TelephoneEvent.FromDigit('5')!.Value, durationMs: 100, rtpTimestampNow: 8000);
        var packets = new List<(TelephoneEvent Payload, bool Marker)>();
        while (sender.TryNext(out var payload, out var marker))
        {
            packets.Add((payload, marker));
        }

        Assert.Equal(7, packets.Count); // 5 x 20 ms, the last of which ends, + 2 repeats of the end
        Assert.True(packets[0].Marker);
        Assert.All(packets.Skip(1), p => Assert.False(p.Marker));
        Assert.Equal(new ushort[] { 160, 320, 480, 640, 800, 800, 800 }, packets.Select(p => p.Payload.Duration));
        Assert.Equal(3, packets.Count(p => p.Payload.End));
        Assert.All(packets, p => Assert.Equal(5, p.Payload.Event));
        Assert.Equal(8000u, sender.EventTimestamp);
        Assert.False(sender.Active);
    }

    [Fact]
    public void PayloadBytesFollowTheRfcLayout()
    {
        var bytes = new byte[4];
        new TelephoneEvent(11, true, 10, 1600).WriteTo(bytes);
        Assert.Equal(new byte[] { 11, 0x8A, 0x06, 0x40 }, bytes);
        Assert.True(TelephoneEvent.TryRead([11, 0xCA, 0x06, 0x40], out var read)); // R bit set: ignored
        Assert.Equal(new TelephoneEvent(11, true, 10, 1600), read);
        Assert.False(TelephoneEvent.TryRead([1, 2, 3], out _));
    }

    [Theory]
    [InlineData('0', 0)]
    [InlineData('9', 9)]
    [InlineData('*', 10)]
    [InlineData('#', 11)]
    [InlineData('A', 12)]
    [InlineData('d', 15)]
    public void DigitsMapToEventCodes(char digit, byte code)
    {
        Assert.Equal(code, TelephoneEvent.FromDigit(digit));
        Assert.Equal(char.ToUpperInvariant(digit), TelephoneEvent.ToDigit(code));
    }

    [Fact]
    public void TheReceiverReportsEachEventOnceWhateverPacketsArrive()
    {
        var sender = new DtmfSender();
        var receiver = new DtmfReceiver();
        var digits = new List<char>();
        var timestamp = 1000u;
        var payload = new byte[4];
        foreach (var digit in "12#")
        {
            sender.Start(TelephoneEvent.FromDigit(digit)!.Value, 60, timestamp);
            var first = true;
            while (sender.TryNext(out var e, out _))
            {
                e.WriteTo(payload);
                if (first && digit == '2')
                {
                    first = false;
                    continue; // the start packet of '2' is lost: the update still reports it
                }
                first = false;
                if (receiver.Receive(sender.EventTimestamp, payload) is { } received)
                {
                    digits.Add(received.Digit);
                }
            }
            timestamp += 800;
        }
        Assert.Equal("12#", new string(digits.ToArray()));
    }
}
