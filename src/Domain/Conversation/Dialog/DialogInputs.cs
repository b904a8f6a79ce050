namespace Aicc.Domain.Conversation.Dialog;

/// <summary>
/// Something the media pipeline tells the dialog: the call was answered, a prompt ended, the
/// caller spoke or pressed keys, or stayed silent. Each carries the time it happened, since
/// the dialog reads no clock.
/// </summary>
public abstract record DialogInput(DateTimeOffset At)
{
    /// <summary>The call was answered and the robot owns the media; starts the script.</summary>
    /// <param name="Variables">The customer row's values (the script's declared variables).</param>
    /// <param name="Voice">The robot's own voice setting; the script's default when null.</param>
    public sealed record CallAnswered(IReadOnlyDictionary<string, string> Variables, string? Voice, DateTimeOffset At) : DialogInput(At);

    /// <summary>The prompt being played has been played to the end.</summary>
    public sealed record PromptFinished(DateTimeOffset At) : DialogInput(At);

    /// <summary>The VAD heard the caller start speaking (barge-in if a prompt is playing).</summary>
    public sealed record SpeechStarted(DateTimeOffset At) : DialogInput(At);

    /// <summary>ASR finished a turn and the recogniser classified it; the speech times are the voice detector's onset and end.</summary>
    public sealed record UtteranceRecognised(
        string Text,
        string Intent,
        double Confidence,
        DateTimeOffset At,
        DateTimeOffset? SpeechStartedAt = null,
        DateTimeOffset? SpeechEndedAt = null) : DialogInput(At);

    /// <summary>Keypad digits (RFC 4733 events or SIP INFO), one or more keys.</summary>
    public sealed record DtmfReceived(string Digits, DateTimeOffset At) : DialogInput(At);

    /// <summary>The listening or digit timer ran out without (further) input.</summary>
    public sealed record NoInputTimeout(DateTimeOffset At) : DialogInput(At);

    /// <summary>No agent became ready within the queue timeout after a transfer was requested.</summary>
    public sealed record TransferFailed(string Reason, DateTimeOffset At) : DialogInput(At);

    /// <summary>The caller hung up; the dialog stops whatever it was doing.</summary>
    public sealed record CallerHungUp(DateTimeOffset At) : DialogInput(At);
}
