using Aicc.Domain.Conversation.Intents;

namespace Aicc.Domain.Conversation.Scripts;

/// <summary>
/// Trains the intent recogniser a script describes: its examples, keyword rules, own synonym
/// groups and threshold. Each script version gets its own recogniser, trained when the
/// version is loaded (well under a second for a few hundred examples).
/// </summary>
public static class ScriptRecogniser
{
    public static IntentClassifier Train(DialogScript script)
    {
        var examples = script.Intents
            .SelectMany(i => i.Examples.Select(text => new IntentExample(text, i.Name, script.Language)))
            .ToList();
        var rules = script.Intents.Where(i => i.Keywords.Count > 0).Select(i => new KeywordRule(i.Name, i.Keywords)).ToList();
        var lexicon = script.Synonyms.Count == 0 ? IntentLexicon.Default : IntentLexicon.Default.With(script.Synonyms);
        var options = new IntentTrainingOptions();
        if (script.UnknownThreshold is { } threshold)
        {
            options = options with { UnknownThreshold = threshold };
        }

        if (examples.Count == 0)
        {
            // A keyword-only script still needs a model; its examples are the keywords themselves.
            examples = script.Intents.SelectMany(i => i.Keywords.Select(k => new IntentExample(k, i.Name, script.Language))).ToList();
        }

        return IntentClassifier.Train(examples, rules, lexicon, options);
    }

    /// <summary>The phrases an ASR grammar for these intents should accept (the intents' examples).</summary>
    public static IReadOnlyList<string> GrammarPhrases(DialogScript script, IEnumerable<string> intents)
    {
        var wanted = intents.ToHashSet(StringComparer.Ordinal);
        return script.Intents.Where(i => wanted.Contains(i.Name)).SelectMany(i => i.Examples.Concat(i.Keywords))
            .Distinct(StringComparer.Ordinal).ToList();
    }
}
