using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Aicc.Telephony.Speech;

/// <summary>
/// One pocketsphinx decoder: its own acoustic model copy and search state, so one utterance at
/// a time. Searches (grammars, language models, phone loops) are built on first use and kept by
/// content, because a script's steps repeat on every call; the words a search needs are added
/// to the decoder's (initially empty) dictionary just before.
/// </summary>
internal sealed class SphinxDecoder : IDisposable
{
    private readonly Dictionary<string, string> _searches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _words = new(StringComparer.Ordinal);
    private readonly PronouncingDictionary _dictionary;
    private string? _current;
    private bool _inUtterance;

    public SphinxDecoder(IntPtr handle, PronouncingDictionary dictionary)
    {
        Handle = handle;
        _dictionary = dictionary;
    }

    public IntPtr Handle { get; }

    /// <summary>Selects the JSGF grammar <paramref name="jsgf"/> over <paramref name="words"/>.</summary>
    public void UseGrammar(string jsgf, IEnumerable<string> words) =>
        Use("g:" + jsgf, words, name => PocketSphinxNative.ps_set_jsgf_string(Handle, name, jsgf));

    /// <summary>Selects the n-gram language model in the ARPA file at <paramref name="path"/>.</summary>
    public void UseLanguageModel(string path, IEnumerable<string> words) =>
        Use("l:" + path, words, name => PocketSphinxNative.ps_set_lm_file(Handle, name, path));

    /// <summary>Selects a free phone loop (no words): the score a garbage path gets on this audio.</summary>
    public void UsePhoneLoop() =>
        Use("p:", [], name => PocketSphinxNative.ps_set_allphone_file(Handle, name, null));

    public void StartUtterance()
    {
        PocketSphinxNative.ps_start_utt(Handle);
        _inUtterance = true;
    }

    public void Process(ReadOnlySpan<short> samples16k)
    {
        if (samples16k.IsEmpty)
        {
            return;
        }
        PocketSphinxNative.ps_process_raw(Handle, ref MemoryMarshal.GetReference(samples16k), samples16k.Length, 0, 0);
    }

    public string Partial() => Marshal.PtrToStringUTF8(PocketSphinxNative.ps_get_hyp(Handle, out _)) ?? string.Empty;

    /// <summary>Ends the utterance: the best hypothesis, its path score (log domain) and the frames decoded.</summary>
    public (string Text, int Score, int Frames) EndUtterance()
    {
        PocketSphinxNative.ps_end_utt(Handle);
        _inUtterance = false;
        var text = Marshal.PtrToStringUTF8(PocketSphinxNative.ps_get_hyp(Handle, out var score)) ?? string.Empty;
        return (text.Trim(), score, Math.Max(1, PocketSphinxNative.ps_get_n_frames(Handle)));
    }

    /// <summary>Closes an utterance whose result nobody wants, so the decoder can go back to its pool.</summary>
    public void Abandon()
    {
        if (_inUtterance)
        {
            PocketSphinxNative.ps_end_utt(Handle);
            _inUtterance = false;
        }
    }

    public void Dispose() => PocketSphinxNative.ps_free(Handle);

    private void Use(string key, IEnumerable<string> words, Func<string, int> build)
    {
        if (!_searches.TryGetValue(key, out var name))
        {
            AddWords(words);
            name = "s" + _searches.Count.ToString(CultureInfo.InvariantCulture);
            if (build(name) != 0)
            {
                throw new InvalidOperationException($"pocketsphinx rejected search {key[..Math.Min(key.Length, 60)]}");
            }
            _searches[key] = name;
        }
        if (_current != name)
        {
            PocketSphinxNative.ps_set_search(Handle, name);
            _current = name;
        }
    }

    private void AddWords(IEnumerable<string> words)
    {
        foreach (var word in words)
        {
            if (!_words.Add(word))
            {
                continue;
            }
            var variants = _dictionary.Pronunciations(word);
            for (var i = 0; i < variants.Count; i++)
            {
                var name = i == 0 ? word : $"{word}({(i + 1).ToString(CultureInfo.InvariantCulture)})";
                // update = 0: the search built next reads the dictionary afresh, so rebuilding the
                // current one for every word would be wasted work. pocketsphinx also adds the word
                // to the decoder's language models as an unknown-word-level unigram, so a later
                // step's words stay improbable in an earlier script model.
                PocketSphinxNative.ps_add_word(Handle, name, variants[i], 0);
            }
        }
    }
}

/// <summary>
/// Decoders for one acoustic model and dictionary, bounded in number. <see cref="TryRent"/>
/// never blocks and never loads a model on the caller's thread (the media loop must keep reading
/// frames): when none is idle but the bound allows one more, it is loaded in the background for
/// the next turn to find.
/// </summary>
internal sealed class SphinxDecoderPool : IDisposable
{
    private readonly string[] _argv;
    private readonly PronouncingDictionary _dictionary;
    private readonly ConcurrentQueue<SphinxDecoder> _idle = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly BlockingCollection<bool> _loads = new();
    private Thread? _loader;
    private readonly int _max;
    private int _reserved;
    private int _created;

    public SphinxDecoderPool(string[] argv, PronouncingDictionary dictionary, int max)
    {
        _argv = argv;
        _dictionary = dictionary;
        _max = Math.Max(1, max);
    }

    public int Created => Volatile.Read(ref _created);

    public SphinxDecoder? TryRent()
    {
        if (_available.Wait(0) && _idle.TryDequeue(out var decoder))
        {
            return decoder;
        }
        if (TryReserve())
        {
            LoadInBackground();
        }
        return null;
    }

    /// <summary>Waits for a decoder (or loads one when the bound allows); for paths that must decode now.</summary>
    public SphinxDecoder Rent()
    {
        if (_available.Wait(0) && _idle.TryDequeue(out var decoder))
        {
            return decoder;
        }
        if (TryReserve())
        {
            return Create();
        }
        _available.Wait();
        return _idle.TryDequeue(out decoder) ? decoder : throw new InvalidOperationException("decoder pool out of step");
    }

    public void Return(SphinxDecoder decoder)
    {
        decoder.Abandon();
        _idle.Enqueue(decoder);
        _available.Release();
    }

    /// <summary>
    /// Loads one reserved decoder on the pool's own loader thread. Not the thread pool: a load is
    /// a long native call, and two of them on a two-core machine's pool threads held up the RTP
    /// receive continuations for most of a second, which the robot heard as the caller falling
    /// silent mid-sentence (issue 5; ADR 0008).
    /// </summary>
    private void LoadInBackground()
    {
        lock (_loads)
        {
            _loader ??= StartLoader();
        }

        _loads.Add(true);
    }

    private Thread StartLoader()
    {
        var thread = new Thread(() =>
        {
            foreach (var _ in _loads.GetConsumingEnumerable())
            {
                Return(Create());
            }
        }) { IsBackground = true, Name = "asr-load" };
        thread.Start();
        return thread;
    }

    /// <summary>Loads decoders up to <paramref name="count"/> now, before calls arrive.</summary>
    public void Prewarm(int count)
    {
        var loaded = new List<SphinxDecoder>();
        while (Created < Math.Min(count, _max) && TryReserve())
        {
            loaded.Add(Create());
        }
        loaded.ForEach(Return);
    }

    public void Dispose()
    {
        _loads.CompleteAdding();
        while (_idle.TryDequeue(out var decoder))
        {
            decoder.Dispose();
        }
    }

    private bool TryReserve()
    {
        while (true)
        {
            var reserved = Volatile.Read(ref _reserved);
            if (reserved >= _max)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _reserved, reserved + 1, reserved) == reserved)
            {
                return true;
            }
        }
    }

    private SphinxDecoder Create()
    {
        var config = PocketSphinxNative.cmd_ln_parse_r(IntPtr.Zero, PocketSphinxNative.ps_args(), _argv.Length, _argv, 1);
        if (config == IntPtr.Zero)
        {
            throw new InvalidOperationException("pocketsphinx rejected its configuration");
        }
        var handle = PocketSphinxNative.ps_init(config);
        if (handle == IntPtr.Zero)
        {
            throw new InvalidOperationException("pocketsphinx could not load its acoustic model");
        }
        Interlocked.Increment(ref _created);
        return new SphinxDecoder(handle, _dictionary);
    }
}
