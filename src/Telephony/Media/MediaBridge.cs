using System.Threading.Channels;

namespace Aicc.Telephony.Media;

/// <summary>
/// Connects two legs so each hears the other: frames read from one leg's inbound channel are
/// written to the other's outbound channel, in both directions, until stopped. It never waits on
/// a full outbound channel (that would let latency build up behind a slow leg); such a frame is
/// dropped and counted. Both legs must not have another reader of their inbound channel.
/// A third leg (a supervisor) can be attached in a <see cref="MonitorMode"/>: the pumps stop and
/// a <see cref="MonitorMixer"/> on the legs' media clock carries all three until it is detached,
/// when the pumps take over again (ADR 0018).
/// </summary>
public sealed partial class MediaBridge : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CancellationTokenSource _stop = new();
    private Task _pumps;
    private long _dropped;
    private long _forwarded;
    private bool _disposed;

    private MediaBridge(MediaLeg a, MediaLeg b)
    {
        A = a;
        B = b;
        _pumps = StartPumps(_stop.Token);
    }

    public MediaLeg A { get; }

    public MediaLeg B { get; }

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Starts forwarding in both directions.</summary>
    public static MediaBridge Connect(MediaLeg a, MediaLeg b) => new(a, b);

    /// <summary>Stops forwarding; the legs stay up (to be bridged elsewhere or played to).</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_mixer is null)
            {
                await StopPumpsAsync().ConfigureAwait(false);
            }

            StopMixer();
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task StartPumps(CancellationToken stop) =>
        Task.WhenAll(PumpAsync(A.Inbound, B.Outbound, stop), PumpAsync(B.Inbound, A.Outbound, stop));

    private async Task StopPumpsAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pumps.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task PumpAsync(ChannelReader<AudioFrame> from, ChannelWriter<AudioFrame> to, CancellationToken stop)
    {
        try
        {
            await foreach (var frame in from.ReadAllAsync(stop).ConfigureAwait(false))
            {
                if (to.TryWrite(frame))
                {
                    Interlocked.Increment(ref _forwarded);
                }
                else
                {
                    Interlocked.Increment(ref _dropped);
                    frame.Dispose();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
