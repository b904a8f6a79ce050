using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Aicc.Telephony.Codecs;

namespace Aicc.Telephony.Rtp;

/// <summary>Counters of a load generator, cumulative since it started.</summary>
public readonly record struct RtpLoadCounters(
    long Sent,
    long Received,
    long Expected,
    long Lost,
    TimeSpan GeneratorCpu,
    long LateTicks);

/// <summary>
/// A lean RTP traffic source for measuring the media engine: it plays the part of many remote
/// phones, each sending a 20 ms G.711 tone packet per tick to its own engine leg and counting what
/// the leg sends back (loss per RFC 3550 §A.3, from sequence numbers, so packets in flight at a
/// measurement edge are not miscounted). It is built to cost the machine far less than the engine
/// it loads: a handful of sockets shared by all calls (replies demultiplexed by source port), one
/// sender thread with pre-encoded payloads, nothing allocated per packet. sipp cannot do this at
/// 1,000+ concurrent 20 ms calls on two cores (see the recipes README). Its own threads' CPU time
/// is read from /proc so the engine's share can be separated from the generator's.
/// </summary>
public sealed class RtpLoadGenerator : IDisposable
{
    private const int FramesInTone = 50;

    private readonly Socket[] _sockets;
    private readonly ConcurrentDictionary<int, Call>[] _callsByPort;
    private readonly byte[][] _tonePayloads;
    private readonly AudioCodec _codec;
    private readonly Thread _sender;
    private readonly Thread[] _receivers;
    private readonly int[] _threadIds;
    private readonly object _gate = new();
    private Call[] _calls = [];
    private volatile bool _running = true;
    private long _lateTicks;

    public RtpLoadGenerator(IPAddress address, int sockets = 4, AudioCodec? codec = null, double toneHz = 1000)
    {
        _codec = codec ?? AudioCodec.Pcmu;
        _sockets = new Socket[sockets];
        _callsByPort = new ConcurrentDictionary<int, Call>[sockets];
        for (var i = 0; i < sockets; i++)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(address, 0));
            socket.ReceiveTimeout = 200;
            EnlargeBuffers(socket);
            _sockets[i] = socket;
            _callsByPort[i] = new ConcurrentDictionary<int, Call>();
        }
        var tone = new short[FramesInTone * FrameFormat.SamplesPerFrame];
        new Audio.ToneGenerator(toneHz, 8000).Fill(tone);
        _tonePayloads = new byte[FramesInTone][];
        for (var f = 0; f < FramesInTone; f++)
        {
            _tonePayloads[f] = new byte[FrameFormat.SamplesPerFrame];
            _codec.Encode(tone.AsSpan(f * FrameFormat.SamplesPerFrame, FrameFormat.SamplesPerFrame), _tonePayloads[f]);
        }
        _threadIds = new int[sockets + 1];
        _sender = new Thread(SendLoop) { IsBackground = true, Name = "rtp-load-send", Priority = ThreadPriority.AboveNormal };
        _receivers = Enumerable.Range(0, sockets)
            .Select(i => new Thread(() => ReceiveLoop(i)) { IsBackground = true, Name = $"rtp-load-recv-{i}" })
            .ToArray();
    }

    public AudioCodec Codec => _codec;

    public int Calls => _calls.Length;

    /// <summary>Starts sending and receiving.</summary>
    public void Start()
    {
        _sender.Start();
        foreach (var receiver in _receivers)
        {
            receiver.Start();
        }
    }

    /// <summary>The address the next call added will send from (to configure its engine leg first).</summary>
    public IPEndPoint NextCallSource
    {
        get
        {
            lock (_gate)
            {
                return (IPEndPoint)_sockets[_calls.Length % _sockets.Length].LocalEndPoint!;
            }
        }
    }

    /// <summary>
    /// Adds a call that sends to <paramref name="target"/> (an engine leg's RTP address); returns
    /// the address the call sends from, which the engine leg will latch onto.
    /// </summary>
    public IPEndPoint AddCall(IPEndPoint target)
    {
        lock (_gate)
        {
            var index = _calls.Length;
            var socketIndex = index % _sockets.Length;
            var call = new Call(target.Serialize(), socketIndex, (uint)Random.Shared.NextInt64(1, uint.MaxValue), (ushort)Random.Shared.Next(65536));
            if (!_callsByPort[socketIndex].TryAdd(target.Port, call))
            {
                throw new ArgumentException($"A call already targets port {target.Port}.", nameof(target));
            }
            _calls = [.. _calls, call];
            return (IPEndPoint)_sockets[socketIndex].LocalEndPoint!;
        }
    }

    /// <summary>Cumulative counters over all calls.</summary>
    public RtpLoadCounters Snapshot()
    {
        long sent = 0;
        long received = 0;
        long expected = 0;
        long lost = 0;
        foreach (var call in _calls)
        {
            sent += Interlocked.Read(ref call.Sent);
            lock (call)
            {
                received += call.Received;
                if (call.Statistics is { } stats)
                {
                    expected += stats.Expected;
                    lost += Math.Max(0, stats.CumulativeLost);
                }
            }
        }
        var cpu = TimeSpan.Zero;
        foreach (var tid in _threadIds)
        {
            cpu += ThreadCpu(tid);
        }
        return new RtpLoadCounters(sent, received, expected, lost, cpu, Interlocked.Read(ref _lateTicks));
    }

    public void Dispose()
    {
        _running = false;
        if (_sender.IsAlive)
        {
            _sender.Join();
        }
        foreach (var receiver in _receivers.Where(r => r.IsAlive))
        {
            receiver.Join();
        }
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private void SendLoop()
    {
        _threadIds[0] = CurrentThreadId();
        Media.RealtimePriority.TryRaiseCurrentThread(); // the simulated phones keep time like the engine
        var buffer = new byte[RtpPacket.HeaderLength + FrameFormat.SamplesPerFrame];
        var period = Stopwatch.Frequency * FrameFormat.FrameMilliseconds / 1000;
        var next = Stopwatch.GetTimestamp() + period;
        long tick = 0;
        while (_running)
        {
            var wait = next - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                Thread.Sleep(Math.Max(1, (int)(wait * 1000 / Stopwatch.Frequency)));
                continue;
            }
            if (-wait > period)
            {
                Interlocked.Increment(ref _lateTicks);
            }
            var payload = _tonePayloads[tick % FramesInTone];
            foreach (var call in _calls)
            {
                var header = new RtpHeader(tick == 0, _codec.PayloadType, call.Sequence++, call.Timestamp, call.Ssrc);
                call.Timestamp += FrameFormat.SamplesPerFrame;
                var length = RtpPacket.Write(buffer, header, payload);
                try
                {
                    _sockets[call.SocketIndex].SendTo(buffer.AsSpan(0, length), SocketFlags.None, call.Target);
                    Interlocked.Increment(ref call.Sent);
                }
                catch (SocketException)
                {
                    // A full buffer drops the packet; the engine's loss counters will show it.
                }
            }
            tick++;
            next += period;
        }
    }

    private void ReceiveLoop(int socketIndex)
    {
        _threadIds[socketIndex + 1] = CurrentThreadId();
        var socket = _sockets[socketIndex];
        var calls = _callsByPort[socketIndex];
        var buffer = new byte[2048];
        var from = new SocketAddress(socket.AddressFamily);
        var clock = Stopwatch.StartNew();
        while (_running)
        {
            int length;
            try
            {
                length = socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                continue; // the receive timeout, so the loop sees _running go false
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            // sockaddr_in and sockaddr_in6 both carry the port big-endian at offset 2.
            var port = (from.Buffer.Span[2] << 8) | from.Buffer.Span[3];
            if (!calls.TryGetValue(port, out var call) || !RtpPacket.TryParse(buffer.AsSpan(0, length), out var packet, out _))
            {
                continue;
            }
            lock (call)
            {
                call.Received++;
                if (call.Statistics is null || call.Statistics.Ssrc != packet.Ssrc)
                {
                    call.Statistics = new RtpReceiveStatistics(packet.Ssrc, packet.SequenceNumber);
                }
                call.Statistics.Update(packet.SequenceNumber, packet.Timestamp, clock.ElapsedTicks * 8000 / Stopwatch.Frequency);
            }
        }
    }

    private static void EnlargeBuffers(Socket socket)
    {
        const int size = 4 << 20;
        try
        {
            socket.ReceiveBufferSize = size;
            socket.SendBufferSize = size;
        }
        catch (SocketException)
        {
            // The kernel caps the size at net.core.rmem_max; the default still works at lower load.
        }
    }

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();

    private static int CurrentThreadId()
    {
        try
        {
            return OperatingSystem.IsLinux() ? GetTid() : 0;
        }
        catch (EntryPointNotFoundException)
        {
            return 0;
        }
    }

    // utime + stime (fields 14 and 15 of /proc/<pid>/task/<tid>/stat, in USER_HZ = 100 ticks).
    private static TimeSpan ThreadCpu(int tid)
    {
        if (tid == 0)
        {
            return TimeSpan.Zero;
        }
        try
        {
            var stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    private sealed class Call(SocketAddress target, int socketIndex, uint ssrc, ushort sequence)
    {
        public readonly SocketAddress Target = target;
        public readonly int SocketIndex = socketIndex;
        public readonly uint Ssrc = ssrc;
        public ushort Sequence = sequence;
        public uint Timestamp = (uint)Random.Shared.NextInt64(uint.MaxValue);
        public long Sent;
        public long Received;
        public RtpReceiveStatistics? Statistics;
    }
}
