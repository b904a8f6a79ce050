namespace Aicc.Domain.Conversation.Intents;

/// <summary>
/// A script author's override: when the utterance contains one of these phrases (after the
/// same normalisation as the model's input), the intent is taken with the rule's confidence.
/// It exists for phrases that must never be missed whatever the model thinks ("do not call",
/// "投诉") and for intents whose examples are too few to learn from.
/// </summary>
public sealed record KeywordRule(string Intent, IReadOnlyList<string> Phrases, double Confidence = 0.99)
{
    /// <summary>True when a phrase occurs in the text on word boundaries (English) or anywhere (Chinese).</summary>
    public bool Matches(string normalizedText)
    {
        var padded = " " + string.Join(' ', IntentFeatures.EnglishWords(normalizedText)) + " ";
        foreach (var phrase in Phrases)
        {
            var wanted = TextNormalizer.Normalize(phrase).Trim();
            if (wanted.Length == 0)
            {
                continue;
            }

            if (wanted.Any(TextNormalizer.IsCjk))
            {
                if (normalizedText.Contains(wanted, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (padded.Contains(" " + string.Join(' ', IntentFeatures.EnglishWords(wanted)) + " ", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
