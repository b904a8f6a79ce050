using System.Collections.Concurrent;

namespace Aicc.Telephony.Media;

/// <summary>Where a frame's audio came from.</summary>
public enum FrameKind
{
    /// <summary>Decoded from a packet that arrived.</summary>
    Audio,

    /// <summary>Made up for a lost packet (repeat/fade, see <see cref="Rtp.LossConcealer"/>).</summary>
    Concealed,

    /// <summary>Nothing was due: silence keeps the stream clocked at 50 frames per second.</summary>
    Silence,
}

/// <summary>
/// One 20 ms PCM16 frame at 8 kHz (160 samples), pooled. Frames are what flows through the media
/// channels; the receiver of a frame owns it and must <see cref="Dispose"/> it (which returns it to
/// the pool) or pass it on. Pooling keeps the 50-frames-per-second-per-leg flow from allocating.
/// </summary>
public sealed class AudioFrame : IDisposable
{
    public const int Samples = Codecs.FrameFormat.SamplesPerFrame;

    private const int MaxPooled = 16384;
    private static readonly ConcurrentQueue<AudioFrame> Pool = new();
    private static int _pooled;

    private readonly short[] _pcm = new short[Samples];
    private int _rented;

    private AudioFrame()
    {
    }

    /// <summary>The frame's samples (always 160).</summary>
    public Span<short> Pcm => _pcm;

    public ReadOnlySpan<short> ReadOnlyPcm => _pcm;

    public FrameKind Kind { get; set; }

    /// <summary>Takes a frame from the pool (or makes one when the pool is empty); contents are undefined.</summary>
    public static AudioFrame Rent(FrameKind kind = FrameKind.Audio)
    {
        if (Pool.TryDequeue(out var frame))
        {
            Interlocked.Decrement(ref _pooled);
        }
        else
        {
            frame = new AudioFrame();
        }
        frame._rented = 1;
        frame.Kind = kind;
        return frame;
    }

    /// <summary>A pooled copy of this frame, for fan-out (recording beside the main consumer).</summary>
    public AudioFrame Copy()
    {
        var copy = Rent(Kind);
        _pcm.CopyTo(copy._pcm, 0);
        return copy;
    }

    /// <summary>Returns the frame to the pool; a second call is ignored.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _rented, 0) == 0)
        {
            return;
        }
        if (Interlocked.Increment(ref _pooled) <= MaxPooled)
        {
            Pool.Enqueue(this);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }
    }
}
