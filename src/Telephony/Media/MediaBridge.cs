using System.Threading.Channels;

namespace Aicc.Telephony.Media;

/// <summary>
/// Connects two legs so each hears the other: frames read from one leg's inbound channel are
/// written to the other's outbound channel, in both directions, until stopped. It never waits on
/// a full outbound channel (that would let latency build up behind a slow leg); such a frame is
/// dropped and counted. Both legs must not have another reader of their inbound channel.
/// </summary>
public sealed class MediaBridge : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pumps;
    private long _dropped;
    private long _forwarded;

    private MediaBridge(MediaLeg a, MediaLeg b)
    {
        A = a;
        B = b;
        _pumps = Task.WhenAll(PumpAsync(a.Inbound, b.Outbound, _stop.Token), PumpAsync(b.Inbound, a.Outbound, _stop.Token));
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
