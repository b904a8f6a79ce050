namespace Aicc.Domain.Conversation.Intents;

/// <summary>
/// Turns an utterance into the sparse features the intent model scores. Chinese has no
/// spaces, so it is read as character 1-3 grams; English as stemmed word 1-2 grams plus
/// character 3-4 grams inside words (robust to ASR spelling slips). Both also go through the
/// lexicon into a concept stream (its 1-2 grams), which lets a paraphrase that shares no
/// word with the examples still share their meaning.
/// </summary>
public static class IntentFeatures
{
    // Character grams count half: with a dozen examples per intent a shared character (感兴趣 in
    // 不感兴趣) otherwise outvotes the words and concepts around it. Measured on the held-out
    // paraphrases: 0.5 beat 1.0 by about one point.
    private const double CharGramWeight = 0.5;

    // A lexicon concept counts half as much again as a word: the words of "am I talking to a
    // machine" are those of "talk to a real person", its concepts those of "is this a robot".
    // Measured on the eight held-out files: 1.5 beat 1.0 by six utterances, 1.3 by four; 2.0 lost.
    private const double ConceptWeight = 1.5;

    private static readonly HashSet<string> EnglishFunctionWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "to", "of", "i", "me", "my", "you", "your", "it", "its", "this", "that", "these", "those", "is", "am",
        "are", "was", "were", "be", "been", "do", "doe", "did", "please", "just", "so", "and", "or", "um", "uh", "well", "oh",
        "with", "on", "in", "at", "for", "we", "us", "our", "would", "will", "can", "could", "there", "here", "some", "any", "very",
        "really", "then", "now", "hey", "hi", "hello", "sorry", "mate",
    };

    private static readonly HashSet<char> ChineseParticles = ['的', '了', '吗', '吧', '啊', '呢', '呀', '嘛', '哦', '喔', '哈', '么', '我', '你', '们', '这', '那', '个', '请'];

    /// <summary>Words of an already normalised string: runs of letters, digits and apostrophes.</summary>
    public static IReadOnlyList<string> EnglishWords(string normalized)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= normalized.Length; i++)
        {
            var inWord = i < normalized.Length && TextNormalizer.IsWordChar(normalized[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = normalized[start..i].Trim('\'');
                if (word.Length > 0)
                {
                    words.Add(word.All(char.IsAsciiDigit) ? "<num>" : word);
                }

                start = -1;
            }
        }

        return words;
    }

    /// <summary>Feature name to weight (raw counts; the model scales them).</summary>
    public static Dictionary<string, double> Extract(string text, IntentLexicon lexicon)
    {
        var features = new Dictionary<string, double>(StringComparer.Ordinal);
        var normalized = TextNormalizer.WithoutHesitations(TextNormalizer.Normalize(text));
        var (latin, chineseRuns) = Split(normalized);

        var words = EnglishWords(latin).Select(EnglishStemmer.Stem).ToList();
        if (words.Count > 0)
        {
            AddEnglish(features, words, lexicon);
        }

        foreach (var run in chineseRuns)
        {
            AddChinese(features, run, lexicon);
        }

        return features;
    }

    private static (string Latin, List<string> ChineseRuns) Split(string normalized)
    {
        var latin = new System.Text.StringBuilder(normalized.Length);
        var runs = new List<string>();
        var run = new System.Text.StringBuilder();
        foreach (var c in normalized)
        {
            if (TextNormalizer.IsCjk(c))
            {
                run.Append(c);
                latin.Append(' ');
                continue;
            }

            // Punctuation and spaces do not end a Chinese run: ASR output has none, and "不了，谢谢"
            // means what "不了谢谢" means. Latin letters and digits do ("我是Ann本人").
            if (run.Length > 0 && TextNormalizer.IsWordChar(c))
            {
                runs.Add(run.ToString());
                run.Clear();
            }

            latin.Append(c);
        }

        if (run.Length > 0)
        {
            runs.Add(run.ToString());
        }

        return (latin.ToString(), runs);
    }

    private static void AddEnglish(Dictionary<string, double> features, List<string> words, IntentLexicon lexicon)
    {
        var previous = "<s>";
        foreach (var word in words)
        {
            Add(features, "w:" + word);
            Add(features, "w2:" + previous + " " + word);
            previous = word;
            var padded = "<" + word + ">";
            for (var n = 3; n <= 4; n++)
            {
                for (var i = 0; i + n <= padded.Length; i++)
                {
                    Add(features, "c:" + padded.Substring(i, n), CharGramWeight);
                }
            }
        }

        Add(features, "w2:" + previous + " </s>");

        var concepts = new List<string>();
        for (var i = 0; i < words.Count;)
        {
            var match = lexicon.MatchEnglish(words, i);
            if (match is { } m)
            {
                concepts.Add(m.Concept);
                i += m.Length;
                continue;
            }

            if (!EnglishFunctionWords.Contains(words[i]))
            {
                concepts.Add(words[i]);
            }

            i++;
        }

        AddConcepts(features, concepts);
    }

    private static void AddChinese(Dictionary<string, double> features, string run, IntentLexicon lexicon)
    {
        var padded = "^" + run + "$";
        for (var n = 1; n <= 3; n++)
        {
            for (var i = 0; i + n <= padded.Length; i++)
            {
                var gram = padded.Substring(i, n);
                if (gram is "^" or "$")
                {
                    continue;
                }

                Add(features, "z:" + gram, CharGramWeight);
            }
        }

        var concepts = new List<string>();
        var end = run.Length;
        while (end > 0 && (ChineseParticles.Contains(run[end - 1]) || !TextNormalizer.IsCjk(run[end - 1])))
        {
            end--;
        }

        var askedAtEnd = end > 2 && run[end - 1] is '不' or '没' && run[end - 2] is not ('不' or '没');
        if (askedAtEnd)
        {
            // A 不 or 没 closing a sentence asks, like 吗 ("有啥折扣没", "便宜点不"): it negates nothing.
            run = run[..(end - 1)] + run[end..];
        }

        for (var i = 0; i < run.Length;)
        {
            if (i + 2 < run.Length && run[i + 1] is '不' or '没' && run[i] == run[i + 2] && run[i] is not ('不' or '没'))
            {
                // "有没有", "是不是", "贵不贵" ask a question; the 不/没 in them negates nothing, and
                // the 是/对/好 of "是不是", "对不对" is no yes ("你是不是打错了"). The A of any other
                // word keeps its meaning (贵不贵 is about price).
                concepts.Add("~a-not-a");
                var asked = lexicon.MatchChinese(run[i].ToString(), 0)?.Concept;
                if (asked is not ("~yes" or "~no") && !ChineseParticles.Contains(run[i]))
                {
                    concepts.Add(asked ?? run[i].ToString());
                }

                i += 3;
                continue;
            }

            if (string.CompareOrdinal(run, i, "不要", 0, 2) == 0 && i + 2 < run.Length && !ChineseParticles.Contains(run[i + 2]))
            {
                // 不要 before a verb forbids ("不要骚扰我", "不要打了"); on its own it declines ("不要了").
                concepts.Add("~stop");
                i += 2;
                continue;
            }

            var match = lexicon.MatchChinese(run, i);
            if (match is { } m)
            {
                concepts.Add(m.Concept);
                i += m.Length;
                continue;
            }

            if (!ChineseParticles.Contains(run[i]))
            {
                concepts.Add(run[i].ToString());
            }

            i++;
        }

        if (askedAtEnd)
        {
            concepts.Add("~a-not-a");
        }

        AddConcepts(features, concepts);
    }

    // What a caller can refuse to want without refusing the offer: "I don't want a robot" asks
    // for a person, "I don't want any more calls" asks to stop calling. Only things the call
    // itself is made of; "I don't want it" or "不想了解" still decline the offer.
    private static readonly HashSet<string> CallParts = new(StringComparer.Ordinal) { "~machine", "~call" };

    // Concepts that may stand between the negated want and what is not wanted ("any more calls",
    // "to talk to a machine", "和机器人说").
    private const int NegatedWantReach = 3;

    /// <summary>
    /// Rewrites a concept stream where a phrase's meaning is not the sum of its concepts. A
    /// negated want whose object is part of the call (<see cref="CallParts"/>) becomes ~stop, the
    /// concept of "不要骚扰我" and "stop calling": the object, not the refusal, then decides.
    /// </summary>
    public static List<string> Refine(List<string> concepts)
    {
        var refined = new List<string>(concepts.Count);
        for (var i = 0; i < concepts.Count; i++)
        {
            var negatedWant = concepts[i] == "!~want" ? 1 : concepts[i] == "~no" && i + 1 < concepts.Count && concepts[i + 1] == "~want" ? 2 : 0;
            if (negatedWant > 0 && concepts.Skip(i + negatedWant).Take(NegatedWantReach).Any(CallParts.Contains))
            {
                refined.Add("~stop");
                i += negatedWant - 1;
                continue;
            }

            if (concepts[i] == "~no" && concepts.Skip(i + 1).Contains("~decline"))
            {
                // "nah, I'm good", "no, we're all set": the no opens the refusal that follows; as a
                // no of its own it would answer a yes/no question.
                continue;
            }

            refined.Add(concepts[i]);
        }

        return refined;
    }

    private static void AddConcepts(Dictionary<string, double> features, List<string> concepts)
    {
        concepts = Refine(concepts);
        var previous = "<s>";
        var negatedFor = 0;
        foreach (var concept in concepts)
        {
            if (concept.StartsWith('~') || concept.StartsWith("!~", StringComparison.Ordinal))
            {
                // A concept right after a negation means its opposite ("not interested",
                // "不感兴趣"), so it becomes a feature of its own instead of adding to the positive.
                var negated = negatedFor > 0 && concept != "~no";
                Add(features, "k:" + (negated ? Negate(concept) : concept), ConceptWeight);
                negatedFor = concept == "~no" ? 2 : negated ? 0 : negatedFor - 1;
            }
            else
            {
                negatedFor--;
            }

            Add(features, "k2:" + previous + " " + concept);
            previous = concept;
        }

        Add(features, "k2:" + previous + " </s>");
    }

    private static string Negate(string concept) => concept.StartsWith('!') ? concept[1..] : "!" + concept;

    private static void Add(Dictionary<string, double> features, string name, double weight = 1.0) =>
        features[name] = features.GetValueOrDefault(name) + weight;
}
