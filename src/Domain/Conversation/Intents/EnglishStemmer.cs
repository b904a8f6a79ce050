namespace Aicc.Domain.Conversation.Intents;

/// <summary>
/// A deliberately light suffix stripper: it only has to send inflections of one word to the
/// same feature ("calling", "called", "calls" -> "call"), not to produce dictionary stems,
/// because a script has a dozen examples per intent and cannot show every inflection.
/// </summary>
public static class EnglishStemmer
{
    public static string Stem(string word)
    {
        if (word.Length <= 3 || word.Contains('\''))
        {
            return word;
        }

        var stem = word;
        if (stem.EndsWith("ies", StringComparison.Ordinal) && stem.Length > 4)
        {
            stem = stem[..^3] + "y";
        }
        else if (stem.EndsWith("sses", StringComparison.Ordinal))
        {
            stem = stem[..^2];
        }
        else if (stem.EndsWith('s') && !stem.EndsWith("ss", StringComparison.Ordinal)
                 && !stem.EndsWith("us", StringComparison.Ordinal) && !stem.EndsWith("is", StringComparison.Ordinal))
        {
            stem = stem[..^1];
        }

        if (stem.EndsWith("ing", StringComparison.Ordinal) && stem.Length >= 6)
        {
            stem = UndoubleConsonant(stem[..^3]);
        }
        else if (stem.EndsWith("ed", StringComparison.Ordinal) && stem.Length >= 5 && !stem.EndsWith("eed", StringComparison.Ordinal))
        {
            stem = UndoubleConsonant(stem[..^2]);
        }

        if (stem.EndsWith('e') && stem.Length > 3)
        {
            stem = stem[..^1];
        }

        return stem;
    }

    private static string UndoubleConsonant(string stem)
    {
        if (stem.Length >= 4 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z' or 'a' or 'e' or 'i' or 'o' or 'u'))
        {
            return stem[..^1];
        }

        return stem;
    }
}
