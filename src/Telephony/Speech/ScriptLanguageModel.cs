using System.Globalization;
using System.Text;

namespace Aicc.Telephony.Speech;

/// <summary>
/// A word bigram language model (ARPA text) estimated from a script's example phrases. It is
/// the recogniser's fallback when the step grammar forces a match: it accepts the script's own
/// words in new orders and combinations ("could I talk to a real agent") that no single example
/// spells out, at a fraction of the cost of the 130k-word general model, whose transcripts were
/// two-thirds wrong on telephone audio anyway. Absolute discounting (D = 0.5) with back-off to
/// unigrams, so every word sequence over the vocabulary keeps some probability.
/// </summary>
public static class ScriptLanguageModel
{
    private const double Discount = 0.5;
    private const string Start = "<s>";
    private const string End = "</s>";

    /// <summary>The ARPA text for <paramref name="sentences"/> (each a list of dictionary words).</summary>
    public static string Build(IEnumerable<IReadOnlyList<string>> sentences)
    {
        var unigrams = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var bigrams = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        var tokens = 0;
        foreach (var sentence in sentences)
        {
            if (sentence.Count == 0)
            {
                continue;
            }
            var previous = Start;
            foreach (var word in sentence.Append(End))
            {
                unigrams[word] = unigrams.GetValueOrDefault(word) + 1;
                tokens++;
                if (!bigrams.TryGetValue(previous, out var next))
                {
                    bigrams[previous] = next = new SortedDictionary<string, int>(StringComparer.Ordinal);
                }
                next[word] = next.GetValueOrDefault(word) + 1;
                previous = word;
            }
        }
        if (tokens == 0)
        {
            throw new ArgumentException("a language model needs at least one non-empty sentence", nameof(sentences));
        }

        double Unigram(string word) => unigrams.GetValueOrDefault(word) / (double)tokens;

        var backoff = new Dictionary<string, double>(StringComparer.Ordinal);
        var bigramCount = 0;
        foreach (var (history, next) in bigrams)
        {
            var total = next.Values.Sum();
            var left = Discount * next.Count / total;
            var covered = next.Keys.Sum(Unigram);
            // When the history's followers already hold (nearly) all unigram mass there is
            // nothing to back off to; a floor keeps the weight finite.
            backoff[history] = left / Math.Max(1e-3, 1 - covered);
            bigramCount += next.Count;
        }

        var arpa = new StringBuilder();
        arpa.Append("\\data\\\n");
        arpa.Append(CultureInfo.InvariantCulture, $"ngram 1={unigrams.Count + 1}\n");
        arpa.Append(CultureInfo.InvariantCulture, $"ngram 2={bigramCount}\n\n\\1-grams:\n");
        // <s> is never predicted; ARPA's convention is a log probability of -99.
        arpa.Append(CultureInfo.InvariantCulture, $"-99.0000 {Start} {Log(backoff.GetValueOrDefault(Start, 1))}\n");
        foreach (var (word, _) in unigrams)
        {
            arpa.Append(CultureInfo.InvariantCulture, $"{Log(Unigram(word))} {word}");
            if (backoff.TryGetValue(word, out var weight))
            {
                arpa.Append(CultureInfo.InvariantCulture, $" {Log(weight)}");
            }
            arpa.Append('\n');
        }
        arpa.Append("\n\\2-grams:\n");
        foreach (var (history, next) in bigrams)
        {
            var total = next.Values.Sum();
            foreach (var (word, count) in next)
            {
                arpa.Append(CultureInfo.InvariantCulture, $"{Log((count - Discount) / total)} {history} {word}\n");
            }
        }
        arpa.Append("\n\\end\\\n");
        return arpa.ToString();
    }

    private static string Log(double p) => Math.Log10(p).ToString("F4", CultureInfo.InvariantCulture);
}
