using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Media;

namespace Aicc.Telephony.Speech;

/// <summary>
/// Streams a reply already cut into pieces (the domain's sentence splitter) as 20 ms frames:
/// piece n+1 is synthesised while piece n plays, so the first audio leaves after one
/// clause's synthesis, not the whole reply's. One piece of look-ahead only, because anything
/// synthesised ahead is wasted when the caller barges in.
/// </summary>
public static class SentenceStreamer
{
    /// <summary>Frames of the spoken pieces, in order; the caller owns (and disposes) each frame.</summary>
    public static async IAsyncEnumerable<AudioFrame> FramesAsync(
        ISpeechSynthesizer tts, IReadOnlyList<string> pieces, string voice, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        if (pieces.Count == 0)
        {
            yield break;
        }
        var next = Synthesize(tts, pieces[0], voice, cancel);
        for (var i = 0; i < pieces.Count; i++)
        {
            // A stop (barge-in) must not wait for a synthesis that is under way: the robot's call
            // loop awaits this stream's end before it reads the caller's audio again.
            var audio = await next.WaitAsync(cancel).ConfigureAwait(false);
            if (i + 1 < pieces.Count)
            {
                next = Synthesize(tts, pieces[i + 1], voice, cancel);
            }
            foreach (var frame in Frames(audio))
            {
                cancel.ThrowIfCancellationRequested();
                yield return frame;
            }
        }
    }

    /// <summary>
    /// Plays the pieces into an outbound channel (a media leg's), returning how many frames were
    /// queued; cancellation (barge-in) stops it between frames.
    /// </summary>
    public static async Task<int> PlayAsync(
        ChannelWriter<AudioFrame> outbound, ISpeechSynthesizer tts, IReadOnlyList<string> pieces, string voice, CancellationToken cancel = default)
    {
        var count = 0;
        await foreach (var frame in FramesAsync(tts, pieces, voice, cancel).ConfigureAwait(false))
        {
            try
            {
                await outbound.WriteAsync(frame, cancel).ConfigureAwait(false);
            }
            catch
            {
                frame.Dispose();
                throw;
            }
            count++;
        }
        return count;
    }

    // Engines may synthesise on the calling thread (flite does: it is a blocking native call),
    // so the next piece goes to the thread pool; otherwise it would run before this piece's
    // frames are handed out, and a stop could not interrupt it.
    private static Task<PcmAudio> Synthesize(ISpeechSynthesizer tts, string piece, string voice, CancellationToken cancel) =>
        Task.Run(() => tts.SynthesizeAsync(piece, voice, cancel).AsTask(), cancel);

    private static IEnumerable<AudioFrame> Frames(PcmAudio audio)
    {
        var samples = audio.Samples;
        for (var offset = 0; offset < samples.Length; offset += AudioFrame.Samples)
        {
            var frame = AudioFrame.Rent();
            var take = Math.Min(AudioFrame.Samples, samples.Length - offset);
            samples.AsSpan(offset, take).CopyTo(frame.Pcm);
            frame.Pcm[take..].Clear();
            yield return frame;
        }
    }
}
