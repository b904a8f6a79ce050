using System.Collections.Immutable;

namespace Aicc.Domain.Conversation.Dialog;

/// <summary>Where a robot conversation stands, as far as the next input is concerned.</summary>
public enum DialogPhase
{
    NotStarted,

    /// <summary>A say node's prompt is playing; the dialog moves on when it ends.</summary>
    Saying,

    /// <summary>At an ask node: prompting and/or listening for an intent or a key.</summary>
    Asking,

    /// <summary>At a collect-DTMF node, gathering keys.</summary>
    CollectingDigits,

    /// <summary>Handed to the queue for a human; the robot waits for the outcome.</summary>
    Transferring,

    Ended,
}

/// <summary>
/// The dialog's state for one call: the current node, variables, retry counters, whether a
/// prompt is playing and recognition running, and the transcript the agent will read.
/// Immutable; changed only by <see cref="DialogDecider.Evolve"/>.
/// </summary>
public sealed record DialogState
{
    public static DialogState Initial { get; } = new();

    public DialogPhase Phase { get; init; } = DialogPhase.NotStarted;

    public string? ScriptId { get; init; }

    public int ScriptVersion { get; init; }

    public string Voice { get; init; } = string.Empty;

    public string? NodeId { get; init; }

    public ImmutableDictionary<string, string> Variables { get; init; } = ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    public int NoInputCount { get; init; }

    public int NoMatchCount { get; init; }

    public bool PromptPlaying { get; init; }

    public bool Listening { get; init; }

    /// <summary>Keys gathered so far at a collect-DTMF node.</summary>
    public string Digits { get; init; } = string.Empty;

    public string? Disposition { get; init; }

    public ImmutableList<TranscriptLine> Transcript { get; init; } = [];
}
