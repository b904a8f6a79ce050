using System.Threading.Channels;
using Aicc.Telephony.Audio;

namespace Aicc.Telephony.Media;

/// <summary>
/// A running recording of what one leg receives, written to a WAV file by its own task so the
/// media clock never waits on the disk. The clock hands it a copy of each frame through a
/// bounded channel (10 s of audio); if the disk stalls longer, the oldest frames are dropped
/// and counted rather than the call's audio being held up.
/// </summary>
public sealed class LegRecording : IAsyncDisposable
{
    private readonly Channel<AudioFrame> _frames;
    private readonly MediaLeg _leg;
    private readonly Task _writer;
    private long _dropped;
    private int _stopped;

    internal LegRecording(string path, MediaLeg leg)
    {
        Path = path;
        _leg = leg;
        _frames = Channel.CreateBounded<AudioFrame>(
            new BoundedChannelOptions(500) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            dropped =>
            {
                Interlocked.Increment(ref _dropped);
                dropped.Dispose();
            });
        var wav = new WavWriter(File.Create(path));
        _writer = Task.Run(() => WriteAsync(wav));
    }

    public string Path { get; }

    /// <summary>Frames lost because the disk fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long SamplesWritten { get; private set; }

    internal void Offer(AudioFrame frame)
    {
        var copy = frame.Copy();
        if (!_frames.Writer.TryWrite(copy))
        {
            copy.Dispose();
        }
    }

    /// <summary>Stops recording and closes the file (sizes patched, ready to read).</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            await _writer.ConfigureAwait(false);
            return;
        }
        _leg.RemoveRecording(this);
        _frames.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task WriteAsync(WavWriter wav)
    {
        await using (wav.ConfigureAwait(false))
        {
            await foreach (var frame in _frames.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                wav.Write(frame.ReadOnlyPcm);
                frame.Dispose();
            }
            SamplesWritten = wav.SamplesWritten;
        }
    }
}
