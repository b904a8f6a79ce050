using System.Buffers.Binary;
using System.Threading.Channels;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Rtp;

namespace Aicc.Telephony.Media;

/// <summary>Sizes of a leg's channels.</summary>
public sealed record MediaLegOptions
{
    /// <summary>
    /// Inbound frames kept for a slow consumer (ASR, bridge) before the oldest are dropped: a live
    /// source cannot wait, so back-pressure here means losing the stalest audio, never growing.
    /// 3 s: the robot's loop was measured stalling up to 3.5 s on a loaded 2-core box while it
    /// waited for a synthesis (since fixed, see SentenceStreamer) and up to ~0.3 s otherwise; the
    /// old 1 s lost the caller's words after every longer stall. Frames are only held while the
    /// consumer lags, so the cost is ~50 KB for a leg that is actually stalled.
    /// </summary>
    public int InboundCapacity { get; init; } = 150;

    /// <summary>
    /// Outbound frames queued ahead of the pacer. Writers wait when it is full, so a WAV or TTS
    /// producer is paced by the 20 ms clock; small, because queued audio delays barge-in.
    /// </summary>
    public int OutboundCapacity { get; init; } = 5;

    /// <summary>Send silence when nothing is queued (keeps NAT bindings and the peer's jitter buffer fed).</summary>
    public bool SendSilenceWhenIdle { get; init; } = true;
}

/// <summary>
/// The media pipeline of one call leg. Inbound: RTP, jitter buffer, decode, then 20 ms frames on
/// <see cref="Inbound"/>. Outbound: frames written to <see cref="Outbound"/>, encoded and sent by
/// the paced clock. Both run on the shared <see cref="MediaClock"/>, so a leg costs no thread and
/// no timer. Playback (with a stop token for barge-in), recording to WAV, DTMF both ways and typed
/// <see cref="Events"/> sit on top. Channels are bounded everywhere.
/// </summary>
public sealed class MediaLeg : IMediaClockClient, IAsyncDisposable
{
    private readonly MediaClock _clock;
    private readonly TimeProvider _time;
    private readonly Channel<AudioFrame> _inbound;
    private readonly Channel<AudioFrame> _outbound;
    private readonly Channel<MediaEvent> _events;
    private readonly short[] _silence = new short[AudioFrame.Samples];
    private readonly MediaLegOptions _options;
    private LegRecording[] _recordings = [];
    private long _inboundDropped;
    private long _framesReceived;
    private long _outboundStarved;
    private int _playing;
    private int _disposed;

    public MediaLeg(RtpSession session, MediaClock clock, MediaLegOptions? options = null, TimeProvider? time = null)
    {
        Session = session;
        _clock = clock;
        _time = time ?? TimeProvider.System;
        _options = options ?? new MediaLegOptions();
        _inbound = Channel.CreateBounded<AudioFrame>(
            new BoundedChannelOptions(_options.InboundCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
            dropped =>
            {
                Interlocked.Increment(ref _inboundDropped);
                dropped.Dispose();
            });
        _outbound = Channel.CreateBounded<AudioFrame>(
            new BoundedChannelOptions(_options.OutboundCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _events = Channel.CreateBounded<MediaEvent>(
            new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = false });
        session.DtmfReceived = d => _events.Writer.TryWrite(new MediaEvent.DtmfReceived(d.Digit, d.DurationMs, _time.GetUtcNow()));
        session.RemoteLatched = r => _events.Writer.TryWrite(new MediaEvent.RemoteLatched(r, _time.GetUtcNow()));
        clock.Register(this);
    }

    public RtpSession Session { get; }

    /// <summary>The clock this leg ticks on (a bridge's mixer ticks on the same one).</summary>
    public MediaClock Clock => _clock;

    /// <summary>Decoded 20 ms frames from the peer, one per tick (silence or concealment when nothing arrived).</summary>
    public ChannelReader<AudioFrame> Inbound => _inbound.Reader;

    /// <summary>Frames to send; the pacer takes one per tick.</summary>
    public ChannelWriter<AudioFrame> Outbound => _outbound.Writer;

    /// <summary>DTMF digits and media-path happenings.</summary>
    public ChannelReader<MediaEvent> Events => _events.Reader;

    /// <summary>Frames waiting for the pacer.</summary>
    public int OutboundQueued => _outbound.Reader.Count;

    /// <summary>Inbound frames dropped because nobody read them in time.</summary>
    public long InboundDropped => Interlocked.Read(ref _inboundDropped);

    /// <summary>Ticks on which a frame with audio (or concealment) was produced.</summary>
    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    /// <summary>
    /// Ticks on which a <see cref="PlayAsync"/> or <see cref="PlayStreamAsync"/> was under way but
    /// had queued nothing: the producer fell behind the clock and the peer heard a gap.
    /// </summary>
    public long OutboundStarved => Interlocked.Read(ref _outboundStarved);

    /// <summary>Queues DTMF digits to send as RFC 4733 events.</summary>
    public void SendDtmf(string digits, int durationMs = 100) => Session.SendDtmf(digits, durationMs);

    /// <inheritdoc />
    public void OnTick(long tick)
    {
        if (_outbound.Reader.TryRead(out var outgoing))
        {
            Session.SendFrame(outgoing.ReadOnlyPcm);
            outgoing.Dispose();
        }
        else
        {
            if (Volatile.Read(ref _playing) > 0)
            {
                Interlocked.Increment(ref _outboundStarved);
            }
            Session.SendFrame(_options.SendSilenceWhenIdle ? _silence : []);
        }

        var frame = AudioFrame.Rent();
        var result = Session.ReceiveFrame(frame.Pcm);
        frame.Kind = result switch
        {
            JitterPopResult.Frame => FrameKind.Audio,
            JitterPopResult.Lost => FrameKind.Concealed,
            _ => FrameKind.Silence,
        };
        if (frame.Kind != FrameKind.Silence)
        {
            Interlocked.Increment(ref _framesReceived);
        }
        foreach (var recording in _recordings)
        {
            recording.Offer(frame);
        }
        if (!_inbound.Writer.TryWrite(frame))
        {
            frame.Dispose();
        }
    }

    /// <summary>
    /// Plays PCM16 8 kHz mono audio to the peer, paced by the outbound channel. Cancelling
    /// <paramref name="stop"/> (barge-in, hang-up) ends it at once and discards what was queued.
    /// </summary>
    public async Task<PlaybackResult> PlayAsync(ReadOnlyMemory<short> pcm, CancellationToken stop = default)
    {
        var frames = 0;
        Interlocked.Increment(ref _playing);
        try
        {
            for (var offset = 0; offset < pcm.Length; offset += AudioFrame.Samples)
            {
                var frame = AudioFrame.Rent();
                var take = Math.Min(AudioFrame.Samples, pcm.Length - offset);
                pcm.Span.Slice(offset, take).CopyTo(frame.Pcm);
                frame.Pcm[take..].Clear();
                await WriteOrDisposeAsync(frame, stop).ConfigureAwait(false);
                frames++;
            }
            await DrainedAsync(stop).ConfigureAwait(false);
            return new PlaybackResult(true, FramesToTime(frames));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            DiscardQueued();
            return new PlaybackResult(false, FramesToTime(Math.Max(0, frames - _options.OutboundCapacity)));
        }
        finally
        {
            Interlocked.Decrement(ref _playing);
        }
    }

    /// <summary>Plays a WAV file (converted to 8 kHz mono).</summary>
    public Task<PlaybackResult> PlayWavAsync(string path, CancellationToken stop = default) => PlayAsync(WavFile.Read(path).Samples, stop);

    /// <summary>
    /// Plays raw PCM16 little-endian 8 kHz mono from a stream as it arrives (a TTS engine's
    /// output), until the stream ends or <paramref name="stop"/> is cancelled.
    /// </summary>
    public async Task<PlaybackResult> PlayStreamAsync(Stream pcm16, CancellationToken stop = default)
    {
        var bytes = new byte[AudioFrame.Samples * 2];
        var frames = 0;
        Interlocked.Increment(ref _playing);
        try
        {
            while (true)
            {
                var filled = 0;
                while (filled < bytes.Length)
                {
                    var read = await pcm16.ReadAsync(bytes.AsMemory(filled), stop).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }
                    filled += read;
                }
                if (filled == 0)
                {
                    break;
                }
                var frame = AudioFrame.Rent();
                var samples = filled / 2;
                for (var i = 0; i < samples; i++)
                {
                    frame.Pcm[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i));
                }
                frame.Pcm[samples..].Clear();
                await WriteOrDisposeAsync(frame, stop).ConfigureAwait(false);
                frames++;
                if (filled < bytes.Length)
                {
                    break;
                }
            }
            await DrainedAsync(stop).ConfigureAwait(false);
            return new PlaybackResult(true, FramesToTime(frames));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            DiscardQueued();
            return new PlaybackResult(false, FramesToTime(Math.Max(0, frames - _options.OutboundCapacity)));
        }
        finally
        {
            Interlocked.Decrement(ref _playing);
        }
    }

    /// <summary>Starts recording what the peer sends (after jitter buffer and concealment) to a WAV file.</summary>
    public LegRecording StartRecording(string path)
    {
        var recording = new LegRecording(path, this);
        lock (_events)
        {
            _recordings = [.. _recordings, recording];
        }
        return recording;
    }

    internal void RemoveRecording(LegRecording recording)
    {
        lock (_events)
        {
            _recordings = _recordings.Where(r => !ReferenceEquals(r, recording)).ToArray();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _clock.Unregister(this);
        foreach (var recording in _recordings)
        {
            await recording.DisposeAsync().ConfigureAwait(false);
        }
        _inbound.Writer.TryComplete();
        _outbound.Writer.TryComplete();
        _events.Writer.TryComplete();
        while (_inbound.Reader.TryRead(out var frame))
        {
            frame.Dispose();
        }
        DiscardQueued();
        await Session.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask WriteOrDisposeAsync(AudioFrame frame, CancellationToken stop)
    {
        try
        {
            await _outbound.Writer.WriteAsync(frame, stop).ConfigureAwait(false);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    private async Task DrainedAsync(CancellationToken stop)
    {
        // Completed means heard: wait until the pacer has taken the last queued frame.
        while (_outbound.Reader.Count > 0)
        {
            await Task.Delay(_clock.Period / 2, stop).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Drops every frame queued for the peer: a producer writing the outbound channel itself
    /// (the robot's sentence streamer) stops a prompt at once on barge-in.
    /// </summary>
    public void DiscardOutbound() => DiscardQueued();

    private void DiscardQueued()
    {
        while (_outbound.Reader.TryRead(out var frame))
        {
            frame.Dispose();
        }
    }

    private static TimeSpan FramesToTime(int frames) => TimeSpan.FromMilliseconds(frames * (double)Codecs.FrameFormat.FrameMilliseconds);
}
