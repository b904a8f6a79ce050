namespace Aicc.Telephony.Speech;

/// <summary>
/// Words and their phone strings (CMU style, "word(2)" marks a variant), held once per process.
/// Decoders start with an empty dictionary and are given only the words their searches use:
/// loading the 134k-word cmudict into every decoder cost ~150 ms and ~25 MB each, which a pool
/// of one decoder per speaking caller cannot afford.
/// </summary>
public sealed class PronouncingDictionary
{
    private readonly Dictionary<string, List<string>> _entries;

    /// <summary>Wraps ready entries (word -> its pronunciations, first = main).</summary>
    public PronouncingDictionary(Dictionary<string, List<string>> entries) => _entries = entries;

    /// <summary>Reads a dictionary in cmudict format ("word PH ON ES", "word(2) ..." for variants).</summary>
    public static PronouncingDictionary Load(string path)
    {
        var entries = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var end = line.IndexOf(' ');
            if (end <= 0 || line.StartsWith(";;;", StringComparison.Ordinal))
            {
                continue;
            }
            var word = line[..end];
            var variant = word.IndexOf('(');
            if (variant > 0)
            {
                word = word[..variant];
            }
            var phones = line[(end + 1)..].Trim();
            var comment = phones.IndexOf('#');
            if (comment >= 0)
            {
                phones = phones[..comment].Trim();
            }
            if (!entries.TryGetValue(word, out var list))
            {
                entries[word] = list = [];
            }
            list.Add(phones);
        }
        return new PronouncingDictionary(entries);
    }

    /// <summary>This dictionary plus <paramref name="extra"/> words (word -> one pronunciation).</summary>
    public PronouncingDictionary With(IEnumerable<KeyValuePair<string, string>> extra)
    {
        var entries = _entries.ToDictionary(e => e.Key, e => e.Value.ToList(), StringComparer.Ordinal);
        foreach (var (word, phones) in extra)
        {
            entries[word] = [phones];
        }
        return new PronouncingDictionary(entries);
    }

    /// <summary>True when <paramref name="word"/> has a pronunciation.</summary>
    public bool Contains(string word) => _entries.ContainsKey(word);

    /// <summary>The pronunciations of <paramref name="word"/> (empty when unknown).</summary>
    public IReadOnlyList<string> Pronunciations(string word) =>
        _entries.TryGetValue(word, out var list) ? list : [];
}
