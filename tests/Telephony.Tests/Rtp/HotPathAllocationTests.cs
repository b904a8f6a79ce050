using System.Net;
using System.Net.Sockets;
using Aicc.Telephony.Codecs;
using Aicc.Telephony.Rtp;

namespace Aicc.Telephony.Tests.Rtp;

public sealed class HotPathAllocationTests
{
    [Fact]
    public async Task SendingAndPlayingOutFramesAllocatesNothingPerPacket()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var session = RtpSession.Open(IPAddress.Loopback);
        session.Configure(new RtpSessionParameters(AudioCodec.Pcma, 8, 101, (IPEndPoint)peer.LocalEndPoint!, null));
        var pcm = new short[FrameFormat.SamplesPerFrame];
        // Warm up past tiered JIT promotion, whose stubs allocate on the calling thread.
        for (var i = 0; i < 3000; i++)
        {
            session.SendFrame(pcm);
            session.ReceiveFrame(pcm);
        }
        await Task.Delay(200);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 2000; i++)
        {
            session.SendFrame(pcm);
            session.ReceiveFrame(pcm);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Even the smallest object per packet would be 48 KB here; the runtime itself (a late tier-1
        // JIT install on this thread) may allocate a few bytes once, which is not per packet.
        Assert.True(allocated < 1024, $"{allocated} bytes allocated over 2000 frames");
        Assert.Equal(5000, session.Statistics.PacketsSent);
    }

    [Fact]
    public void JitterBufferAndCodecsAllocateNothingPerFrame()
    {
        var buffer = new JitterBuffer();
        var payload = new byte[160];
        var pcm = new short[160];
        var output = new byte[JitterBuffer.MaxPayload];
        for (var i = 0; i < 3000; i++)
        {
            MuLaw.Encode(pcm, payload); // also builds the codec tables, once per process
            buffer.Push((ushort)i, (uint)(i * 160), 0, payload);
            buffer.Pop(output, out var length, out _, out _);
            ALaw.Decode(output.AsSpan(0, length), pcm);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 3000; i < 8000; i++)
        {
            MuLaw.Encode(pcm, payload);
            buffer.Push((ushort)i, (uint)(i * 160), 0, payload);
            buffer.Pop(output, out var length, out _, out _);
            ALaw.Decode(output.AsSpan(0, length), pcm);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1024, $"{allocated} bytes allocated over 5000 frames");
    }
}
