namespace Aicc.Domain.Conversation.Intents;

/// <summary>
/// What the recogniser made of one utterance: the intent (or <see cref="Unknown"/> when the
/// best guess is below the threshold), its confidence in [0, 1], and the best guess itself so
/// the transcript can show what was nearly matched.
/// </summary>
public sealed record IntentPrediction(string Intent, double Confidence, string BestGuess, bool ByKeywordRule = false)
{
    /// <summary>The intent name used when nothing was recognised with enough confidence.</summary>
    public const string Unknown = "unknown";

    public bool IsUnknown => Intent == Unknown;
}
