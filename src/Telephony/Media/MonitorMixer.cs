using System.Threading.Channels;

namespace Aicc.Telephony.Media;

/// <summary>What a third leg on a bridge (a supervisor) hears and who hears it.</summary>
public enum MonitorMode
{
    /// <summary>Silent monitor: hears customer and agent; neither hears the monitor.</summary>
    Listen,

    /// <summary>Coaching: hears both; only the agent hears the monitor.</summary>
    Whisper,

    /// <summary>Three-way: everyone hears everyone.</summary>
    Barge,
}

/// <summary>
/// The mixing stage of a bridge with a third leg (ADR 0018): on every tick of the shared media
/// clock it takes at most one frame from each party's inbound channel (silence when none is
/// there) and writes one frame to each party's outbound channel, summed in linear PCM with
/// saturation: the customer hears the agent (and the monitor in barge mode), the agent hears
/// the customer (and the monitor in whisper and barge modes), the monitor hears customer and
/// agent. Frames are pooled and the sums run over spans, so a tick allocates nothing.
/// </summary>
/// <remarks>
/// Legs may tick on other clock workers than the mixer, so a channel can hold zero or two frames
/// at a tick. One frame is taken per tick; if more than <see cref="MaxBacklog"/> are waiting the
/// oldest are dropped, so latency through the mixer is bounded to a few ticks, as the plain
/// bridge's pumps bound it by the outbound channel's size.
/// </remarks>
public sealed class MonitorMixer : IMediaClockClient
{
    /// <summary>Frames a party's inbound channel may hold after the mixer took its frame.</summary>
    public const int MaxBacklog = 2;

    private readonly ChannelReader<AudioFrame> _customerIn;
    private readonly ChannelReader<AudioFrame> _agentIn;
    private readonly ChannelReader<AudioFrame> _monitorIn;
    private readonly ChannelWriter<AudioFrame> _customerOut;
    private readonly ChannelWriter<AudioFrame> _agentOut;
    private readonly ChannelWriter<AudioFrame> _monitorOut;
    private readonly short[] _silence = new short[AudioFrame.Samples];
    private int _mode;
    private int _ticking;
    private int _stopped;
    private long _ticks;
    private long _dropped;

    public MonitorMixer(
        ChannelReader<AudioFrame> customerIn,
        ChannelWriter<AudioFrame> customerOut,
        ChannelReader<AudioFrame> agentIn,
        ChannelWriter<AudioFrame> agentOut,
        ChannelReader<AudioFrame> monitorIn,
        ChannelWriter<AudioFrame> monitorOut,
        MonitorMode mode)
    {
        _customerIn = customerIn;
        _customerOut = customerOut;
        _agentIn = agentIn;
        _agentOut = agentOut;
        _monitorIn = monitorIn;
        _monitorOut = monitorOut;
        _mode = (int)mode;
    }

    /// <summary>The routing now in force; a change applies from the next tick.</summary>
    public MonitorMode Mode
    {
        get => (MonitorMode)Volatile.Read(ref _mode);
        set => Volatile.Write(ref _mode, (int)value);
    }

    /// <summary>Ticks mixed so far.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>Frames dropped: backlog beyond <see cref="MaxBacklog"/>, or a full outbound channel.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public void OnTick(long tick)
    {
        // Entered before stopped is read, so Stop can wait for a tick already under way (see Stop).
        Interlocked.Exchange(ref _ticking, 1);
        try
        {
            if (Volatile.Read(ref _stopped) != 0)
            {
                return;
            }

            var customer = Take(_customerIn);
            var agent = Take(_agentIn);
            var monitor = Take(_monitorIn);
            try
            {
                var mode = Mode;
                var c = customer is null ? _silence : customer.ReadOnlyPcm;
                var a = agent is null ? _silence : agent.ReadOnlyPcm;
                var m = monitor is null ? _silence : monitor.ReadOnlyPcm;
                Send(_customerOut, a, mode == MonitorMode.Barge ? m : _silence);
                Send(_agentOut, c, mode == MonitorMode.Listen ? _silence : m);
                Send(_monitorOut, c, a);
            }
            finally
            {
                customer?.Dispose();
                agent?.Dispose();
                monitor?.Dispose();
            }

            Interlocked.Increment(ref _ticks);
        }
        finally
        {
            Interlocked.Exchange(ref _ticking, 0);
        }
    }

    /// <summary>
    /// Stops mixing: once this returns no tick touches the channels again, so the bridge's plain
    /// pumps can take the legs back. Call after unregistering from the clock (a worker may still
    /// be running the tick it started with the old client list).
    /// </summary>
    public void Stop()
    {
        Interlocked.Exchange(ref _stopped, 1);
        var spin = new SpinWait();
        while (Volatile.Read(ref _ticking) != 0)
        {
            spin.SpinOnce();
        }
    }

    /// <summary>Sum of two frames, clamped to the 16-bit range (saturation instead of wrap-around).</summary>
    public static void MixSaturating(ReadOnlySpan<short> x, ReadOnlySpan<short> y, Span<short> into)
    {
        for (var i = 0; i < into.Length; i++)
        {
            var sum = x[i] + y[i];
            into[i] = sum > short.MaxValue ? short.MaxValue : sum < short.MinValue ? short.MinValue : (short)sum;
        }
    }

    private AudioFrame? Take(ChannelReader<AudioFrame> from)
    {
        if (!from.TryRead(out var frame))
        {
            return null;
        }

        while (from.Count > MaxBacklog && from.TryRead(out var stale))
        {
            Interlocked.Increment(ref _dropped);
            frame.Dispose();
            frame = stale;
        }

        return frame;
    }

    private void Send(ChannelWriter<AudioFrame> to, ReadOnlySpan<short> x, ReadOnlySpan<short> y)
    {
        var frame = AudioFrame.Rent();
        MixSaturating(x, y, frame.Pcm);
        if (!to.TryWrite(frame))
        {
            Interlocked.Increment(ref _dropped);
            frame.Dispose();
        }
    }
}
