namespace Aicc.Domain.Conversation.Dialog;

/// <summary>One line of the conversation as the agent who takes over reads it.</summary>
public sealed record TranscriptLine(string Speaker, string Text, string? Intent, double? Confidence, DateTimeOffset At)
{
    public const string Robot = "robot";
    public const string Caller = "caller";
}

/// <summary>
/// What the dialog decided. Some events are instructions to the media pipeline (play, listen,
/// collect digits, stop playback, transfer, hang up, add to do-not-call); all of them are
/// recorded on the call's stream so the turn-by-turn history can be replayed and audited.
/// </summary>
public abstract record DialogEvent
{
    private DialogEvent(DateTimeOffset at) => At = at;

    public DateTimeOffset At { get; }

    /// <summary>The script (pinned version) started for this call.</summary>
    public sealed record DialogStarted(string ScriptId, int ScriptVersion, string Voice, IReadOnlyDictionary<string, string> Variables, DateTimeOffset At)
        : DialogEvent(At);

    /// <summary>The dialog moved to a node; <paramref name="Kind"/> is the node's type tag (say, ask, ...).</summary>
    public sealed record NodeEntered(string NodeId, string Kind, DateTimeOffset At) : DialogEvent(At);

    /// <summary>Play this text (synthesised with the voice) or recorded audio to the caller.</summary>
    public sealed record PromptRequested(string NodeId, string Text, string? Audio, string Voice, bool BargeIn, DateTimeOffset At) : DialogEvent(At);

    public sealed record PromptPlayed(string NodeId, DateTimeOffset At) : DialogEvent(At);

    /// <summary>Barge-in: the caller spoke over a prompt that allows it, so playback stops.</summary>
    public sealed record PlaybackStopped(string NodeId, DateTimeOffset At) : DialogEvent(At);

    /// <summary>
    /// Start recognising: the expected intents (for the recogniser), their example phrases (for
    /// an ASR grammar), the keys that also answer, and the silence allowed after the prompt.
    /// </summary>
    public sealed record ListenRequested(
        string NodeId,
        IReadOnlyList<string> ExpectedIntents,
        IReadOnlyList<string> GrammarPhrases,
        IReadOnlyList<string> DtmfKeys,
        int TimeoutMs,
        DateTimeOffset At) : DialogEvent(At);

    public sealed record DtmfCollectionRequested(string NodeId, int MaxDigits, string? Terminator, int TimeoutMs, DateTimeOffset At) : DialogEvent(At);

    /// <summary>What the caller said at an ask node; the speech times come from the voice detector when the pipeline knows them.</summary>
    public sealed record CallerSpoke(
        string NodeId,
        string Text,
        double Confidence,
        DateTimeOffset At,
        DateTimeOffset? SpeechStartedAt = null,
        DateTimeOffset? SpeechEndedAt = null) : DialogEvent(At);

    public sealed record IntentDetected(string NodeId, string Intent, double Confidence, DateTimeOffset At) : DialogEvent(At);

    public sealed record DtmfPressed(string NodeId, string Digits, DateTimeOffset At) : DialogEvent(At);

    public sealed record NoInputCounted(string NodeId, int Count, DateTimeOffset At) : DialogEvent(At);

    public sealed record NoMatchCounted(string NodeId, int Count, DateTimeOffset At) : DialogEvent(At);

    public sealed record VariableSet(string Name, string Value, DateTimeOffset At) : DialogEvent(At);

    /// <summary>Queue the call for a skill group; the agent gets the transcript and variables.</summary>
    public sealed record TransferRequested(
        string NodeId,
        string SkillGroup,
        string? Reason,
        IReadOnlyList<TranscriptLine> Transcript,
        IReadOnlyDictionary<string, string> Variables,
        DateTimeOffset At) : DialogEvent(At);

    public sealed record TransferFailed(string NodeId, string Reason, DateTimeOffset At) : DialogEvent(At);

    /// <summary>Put the called number on the tenant's do-not-call list.</summary>
    public sealed record DoNotCallRequested(string NodeId, DateTimeOffset At) : DialogEvent(At);

    public sealed record HangupRequested(string NodeId, string Disposition, DateTimeOffset At) : DialogEvent(At);

    public sealed record CallerHungUp(DateTimeOffset At) : DialogEvent(At);
}
