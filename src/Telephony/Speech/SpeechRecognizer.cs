namespace Aicc.Telephony.Speech;

/// <summary>
/// What the dialog expects the caller to say at one step: the phrases (the ask node's expected
/// intents' examples) and the language, plus optionally every phrase the script knows (all its
/// intents' examples), which an engine may use as a wider net when the step's phrases do not
/// fit. Plain strings, because Telephony references no project of ours; the handler builds it
/// from the script.
/// </summary>
public sealed record RecognitionContext(IReadOnlyList<string> Phrases, string Language = "en", IReadOnlyList<string>? ScriptPhrases = null);

/// <summary>One hypothesis: text, a confidence in [0, 1], whether the step's grammar produced it.</summary>
public sealed record RecognitionHypothesis(string Text, double Confidence, bool IsFinal, bool FromGrammar)
{
    /// <summary>Nothing recognised (silence, or speech the engine rejected).</summary>
    public bool IsEmpty => string.IsNullOrWhiteSpace(Text);
}

/// <summary>
/// The streaming ASR port: a session per caller turn takes 8 kHz frames as they arrive and
/// returns partial hypotheses, then a final one at the end of the turn. Engines sit behind it
/// so a better one (a Mandarin model, a cloud service) replaces pocketsphinx without touching
/// the dialog code.
/// </summary>
public interface ISpeechRecognizer
{
    /// <summary>True when this engine recognises <paramref name="language"/>.</summary>
    bool Supports(string language);

    /// <summary>Opens a session for one turn.</summary>
    ISpeechRecognitionSession Start(RecognitionContext context);
}

/// <summary>One turn of recognition; not thread-safe (one call's pipeline drives it).</summary>
public interface ISpeechRecognitionSession : IDisposable
{
    /// <summary>Feeds one 8 kHz PCM16 frame; returns a partial hypothesis when it changed, else null.</summary>
    RecognitionHypothesis? Accept(ReadOnlySpan<short> frame);

    /// <summary>Ends the turn and returns the final hypothesis.</summary>
    RecognitionHypothesis Finish();
}

/// <summary>
/// Sends each turn to the engine for the script's language (English to pocketsphinx, Mandarin
/// to the experimental pinyin recogniser), so the dialog code holds one recogniser.
/// </summary>
public sealed class LanguageRouter(IReadOnlyList<ISpeechRecognizer> engines) : ISpeechRecognizer
{
    /// <inheritdoc />
    public bool Supports(string language) => engines.Any(e => e.Supports(language));

    /// <inheritdoc />
    public ISpeechRecognitionSession Start(RecognitionContext context) =>
        (engines.FirstOrDefault(e => e.Supports(context.Language))
            ?? throw new NotSupportedException($"no speech recogniser for language '{context.Language}'")).Start(context);
}
