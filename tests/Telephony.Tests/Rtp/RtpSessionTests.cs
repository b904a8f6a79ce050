using System.Net;
using System.Net.Sockets;
using Aicc.Telephony.Codecs;
using Aicc.Telephony.Rtp;

namespace Aicc.Telephony.Tests.Rtp;

public sealed class RtpSessionTests : IAsyncLifetime
{
    private readonly Socket _x = Bound();
    private readonly Socket _y = Bound();
    private RtpSession _session = null!;

    public Task InitializeAsync()
    {
        _session = RtpSession.Open(IPAddress.Loopback, new RtpSessionOptions { RelatchAfter = TimeSpan.FromMilliseconds(300), JitterDepth = 2 });
        using var nowhere = Bound();
        _session.Configure(new RtpSessionParameters(AudioCodec.Pcmu, 0, 101, (IPEndPoint)nowhere.LocalEndPoint!, null));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _x.Dispose();
        _y.Dispose();
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.ReceiveTimeout = 2000;
        return socket;
    }

    private void Send(Socket from, ushort seq, uint ssrc = 7, byte pt = 0, byte[]? payload = null, bool marker = false)
    {
        var buffer = new byte[200];
        var length = RtpPacket.Write(buffer, new RtpHeader(marker, pt, seq, (uint)(seq * 160), ssrc), payload ?? Enumerable.Repeat((byte)0x80, 160).ToArray());
        from.SendTo(buffer.AsSpan(0, length), SocketFlags.None, _session.LocalRtp);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }

    private static (RtpHeader Header, int PayloadLength) ReceiveOne(Socket socket)
    {
        var buffer = new byte[2048];
        var n = socket.Receive(buffer);
        Assert.True(RtpPacket.TryParse(buffer.AsSpan(0, n), out var packet, out _));
        return (packet.Header, packet.Payload.Length);
    }

    [Fact]
    public async Task RepliesGoWhereThePeersPacketsComeFromAndAStrayPacketCannotStealTheStream()
    {
        Send(_x, 1);
        await Eventually(() => _session.Statistics.LatchedRemote?.Port == ((IPEndPoint)_x.LocalEndPoint!).Port);
        _session.SendFrame(new short[160]);
        Assert.Equal(0, ReceiveOne(_x).Header.PayloadType);

        Send(_y, 2);
        await Task.Delay(50);
        Assert.Equal(((IPEndPoint)_x.LocalEndPoint!).Port, _session.Statistics.LatchedRemote!.Port);

        await Task.Delay(400); // x falls silent for longer than RelatchAfter
        Send(_y, 3);
        await Eventually(() => _session.Statistics.LatchedRemote!.Port == ((IPEndPoint)_y.LocalEndPoint!).Port);
        _session.SendFrame(new short[160]);
        Assert.Equal(160, ReceiveOne(_y).PayloadLength);
    }

    [Fact]
    public async Task OutgoingPacketsKeepTheSsrcAndAdvanceSequenceAndTimestampByAFrame()
    {
        Send(_x, 1);
        await Eventually(() => _session.Statistics.LatchedRemote is not null);
        var headers = Enumerable.Range(0, 5).Select(_ =>
        {
            _session.SendFrame(new short[160]);
            return ReceiveOne(_x).Header;
        }).ToList();

        Assert.All(headers, h => Assert.Equal(_session.Ssrc, h.Ssrc));
        Assert.True(headers[0].Marker);
        Assert.All(headers.Skip(1), h => Assert.False(h.Marker));
        for (var i = 1; i < headers.Count; i++)
        {
            Assert.Equal((ushort)(headers[i - 1].SequenceNumber + 1), headers[i].SequenceNumber);
            Assert.Equal(headers[i - 1].Timestamp + 160, headers[i].Timestamp);
        }
    }

    [Fact]
    public async Task GarbageAndUnnegotiatedPayloadTypesAreCountedAndIgnored()
    {
        _x.SendTo(new byte[] { 1, 2, 3, 4, 5 }, _session.LocalRtp);
        Send(_x, 1, pt: 13); // comfort noise: not negotiated
        await Eventually(() => _session.Statistics.PacketsInvalid == 2);
        Assert.Null(_session.Statistics.LatchedRemote);
        Assert.Equal(0, _session.Statistics.PacketsReceived);
    }

    [Fact]
    public async Task ANewSourceRestartsPlayoutAndStatistics()
    {
        var pcm = new short[160];
        for (ushort s = 100; s < 104; s++)
        {
            Send(_x, s, ssrc: 1);
        }
        await Eventually(() => _session.Statistics.PacketsReceived == 4);
        Assert.Equal(JitterPopResult.Frame, _session.ReceiveFrame(pcm));

        for (ushort s = 9000; s < 9003; s++)
        {
            Send(_x, s, ssrc: 2);
        }
        await Eventually(() => _session.Statistics.PacketsReceived == 7);
        // The new source plays from depth (2) frames behind its newest packet.
        Assert.Equal(JitterPopResult.Frame, _session.ReceiveFrame(pcm));
        Assert.Equal(JitterPopResult.Frame, _session.ReceiveFrame(pcm));
        Assert.Equal(JitterPopResult.Empty, _session.ReceiveFrame(pcm));
        Assert.Equal(0, _session.Statistics.DroppedLate);
    }

    [Fact]
    public async Task TelephoneEventsBecomeOneDigitEachAndPlayOutAsSilence()
    {
        var digits = new List<char>();
        _session.DtmfReceived = d =>
        {
            lock (digits)
            {
                digits.Add(d.Digit);
            }
        };
        var seq = (ushort)1;
        foreach (var (code, ts) in new[] { ((byte)3, 1000u), ((byte)11, 3000u) })
        {
            for (var update = 0; update < 5; update++)
            {
                var payload = new byte[4];
                new TelephoneEvent(code, update >= 2, 10, (ushort)(160 * Math.Min(update + 1, 3))).WriteTo(payload);
                var buffer = new byte[64];
                var n = RtpPacket.Write(buffer, new RtpHeader(update == 0, 101, seq++, ts, 9), payload);
                _x.SendTo(buffer.AsSpan(0, n), SocketFlags.None, _session.LocalRtp);
            }
        }
        var pcm = new short[160];
        pcm.AsSpan().Fill(999);
        await Eventually(() => _session.Statistics.PacketsReceived == 10);
        Assert.Equal(JitterPopResult.Frame, _session.ReceiveFrame(pcm)); // the clock's tick hands packets over
        Assert.Equal(2, _session.Statistics.DtmfReceived);
        lock (digits)
        {
            Assert.Equal("3#", new string(digits.ToArray()));
        }
        Assert.All(pcm, s => Assert.Equal(0, s));
    }

    [Fact]
    public async Task DtmfReplacesAudioWhileItIsSent()
    {
        Send(_x, 1);
        await Eventually(() => _session.Statistics.LatchedRemote is not null);
        _session.SendDtmf("7", durationMs: 60);
        var types = new List<byte>();
        for (var i = 0; i < 8; i++)
        {
            _session.SendFrame(new short[160]);
            types.Add(ReceiveOne(_x).Header.PayloadType);
        }
        Assert.Equal(new byte[] { 101, 101, 101, 101, 101, 0, 0, 0 }, types); // 3 x 20 ms, 2 end repeats, then audio
        Assert.Throws<ArgumentException>(() => _session.SendDtmf("x"));
    }

    [Fact]
    public async Task AnEmptyFrameSendsNothingButTheNextAudioStartsATalkspurtAtTheRightTime()
    {
        Send(_x, 1);
        await Eventually(() => _session.Statistics.LatchedRemote is not null);
        _session.SendFrame(new short[160]);
        var first = ReceiveOne(_x).Header;
        _session.SendFrame([]);
        _session.SendFrame([]);
        _session.SendFrame(new short[160]);
        var next = ReceiveOne(_x).Header;

        Assert.Equal((ushort)(first.SequenceNumber + 1), next.SequenceNumber); // nothing was sent in between
        Assert.Equal(first.Timestamp + (3 * 160), next.Timestamp);
        Assert.True(next.Marker);
        Assert.Equal(2, _session.Statistics.PacketsSent);
    }

    [Fact]
    public async Task HostileDatagramsDoNotStopTheSessionFromReceivingValidTraffic()
    {
        var random = new Random(4961);
        var buffer = new byte[1500];
        for (var i = 0; i < 3000; i++)
        {
            var length = random.Next(0, buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            if (i % 2 == 0 && length >= 12)
            {
                buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F)); // version 2: deeper into the parser
                buffer[1] = (byte)(random.Next(2) == 0 ? 0 : 101 | (buffer[1] & 0x80)); // negotiated types
            }
            _y.SendTo(buffer.AsSpan(0, length), SocketFlags.None, _session.LocalRtp);
            _y.SendTo(buffer.AsSpan(0, length), SocketFlags.None, _session.LocalRtcp);
        }
        await Task.Delay(1500); // let the stray source go silent so the real one may latch
        var scratch = new short[160];
        for (var tick = 0; tick < 3; tick++)
        {
            _session.ReceiveFrame(scratch); // the clock's ticks would have drained the hand-over ring
        }
        for (ushort s = 40000; s < 40004; s++)
        {
            Send(_x, s, ssrc: 77);
        }
        await Eventually(() => _session.Statistics.LatchedRemote?.Port == ((IPEndPoint)_x.LocalEndPoint!).Port);
        var pcm = new short[160];
        var frames = 0;
        // Pop like the 20 ms clock would, but give a loaded machine time to hand the packets over.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (frames < 2 && DateTime.UtcNow < deadline)
        {
            if (_session.ReceiveFrame(pcm) == JitterPopResult.Frame)
            {
                frames++;
            }
            else
            {
                await Task.Delay(20);
            }
        }

        Assert.True(frames >= 2, $"only {frames} frames after the garbage");
        _session.SendFrame(pcm);
        Assert.Equal(_session.Ssrc, ReceiveOne(_x).Header.Ssrc);
    }

    [Theory]
    [InlineData((byte)0xFF, true)]  // mu-law zero: a pause in speech
    [InlineData((byte)0x80, false)] // full-scale: talking
    public async Task AfterADelaySpikeLatencyIsWonBackInPausesOnly(byte sample, bool drained)
    {
        var payload = Enumerable.Repeat(sample, 160).ToArray();
        var pcm = new short[160];
        ushort seq = 1;
        Send(_x, seq++, payload: payload);
        Send(_x, seq++, payload: payload);
        await Eventually(() => _session.Statistics.PacketsReceived == 2);
        _session.ReceiveFrame(pcm);
        for (var i = 0; i < 6; i++)
        {
            Send(_x, seq++, payload: payload); // the spike: six frames at once
        }
        await Eventually(() => _session.Statistics.PacketsReceived == 8);
        for (var tick = 0; tick < RtpSession.DrainAfterTicks + 10; tick++)
        {
            Send(_x, seq++, payload: payload); // then one in, one out
            var expected = 9 + tick;
            await Eventually(() => _session.Statistics.PacketsReceived == expected);
            _session.ReceiveFrame(pcm);
        }
        var statistics = _session.Statistics;
        Assert.Equal(drained, statistics.SilenceDrained > 0);
        Assert.Equal(0, statistics.DroppedForLatency);
    }
}
