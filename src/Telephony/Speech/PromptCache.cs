using Aicc.Telephony.Audio;

namespace Aicc.Telephony.Speech;

/// <summary>
/// Keeps synthesised prompts in memory keyed by (text, voice), so a greeting every call plays
/// costs one synthesis in total. Bounded by total samples with least-recently-used eviction:
/// scripts repeat a few dozen prompts, while personalised prompts ({{name}}) would otherwise
/// grow it without end. Concurrent misses on the same key share one synthesis.
/// </summary>
public sealed class PromptCache(ISpeechSynthesizer inner, long maxSamples = 8_000 * 60 * 30) : ISpeechSynthesizer
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Text, string Voice), LinkedListNode<Entry>> _entries = new();
    private readonly LinkedList<Entry> _recency = new();
    private long _samples;
    private long _hits;
    private long _misses;

    /// <summary>Prompts served from memory.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Prompts that had to be synthesised.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Samples currently held.</summary>
    public long Samples
    {
        get
        {
            lock (_gate)
            {
                return _samples;
            }
        }
    }

    /// <inheritdoc />
    public bool Supports(string voice) => inner.Supports(voice);

    /// <inheritdoc />
    public async ValueTask<PcmAudio> SynthesizeAsync(string text, string voice, CancellationToken cancel = default)
    {
        var key = (text, voice);
        Task<PcmAudio> pending;
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                Interlocked.Increment(ref _hits);
                pending = node.Value.Audio;
            }
            else
            {
                Interlocked.Increment(ref _misses);
                // Engines such as flite synthesise on the calling thread: started inside the lock,
                // one call's miss would hold every other call's lookup (hits too) for its length.
                pending = Task.Run(() => inner.SynthesizeAsync(text, voice, CancellationToken.None).AsTask(), CancellationToken.None);
                _entries[key] = _recency.AddFirst(new Entry(key, pending));
            }
        }
        try
        {
            var audio = await pending.WaitAsync(cancel).ConfigureAwait(false);
            Account(key, audio);
            return audio;
        }
        catch (Exception) when (!cancel.IsCancellationRequested)
        {
            Forget(key, pending);
            throw;
        }
    }

    private void Account(in (string, string) key, PcmAudio audio)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var node) || node.Value.Counted)
            {
                return;
            }
            node.Value.Counted = true;
            _samples += audio.Samples.Length;
            while (_samples > maxSamples && _recency.Last is { } oldest && oldest != node)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                if (oldest.Value.Counted)
                {
                    _samples -= oldest.Value.Audio.Result.Samples.Length;
                }
            }
        }
    }

    private void Forget(in (string, string) key, Task<PcmAudio> failed)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node) && node.Value.Audio == failed)
            {
                _recency.Remove(node);
                _entries.Remove(key);
            }
        }
    }

    private sealed class Entry((string Text, string Voice) key, Task<PcmAudio> audio)
    {
        public (string Text, string Voice) Key { get; } = key;

        public Task<PcmAudio> Audio { get; } = audio;

        public bool Counted { get; set; }
    }
}
