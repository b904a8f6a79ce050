using System.Text.Json.Serialization;

namespace Aicc.Domain.Conversation.Scripts;

/// <summary>
/// A robot's conversation (话术) as a tenant uploads it: a graph of nodes plus the intents it
/// understands and the customer variables it may speak. Versioned because a call pins the
/// version it started with while authors keep editing. The JSON shape (camelCase, nodes
/// tagged by <c>type</c>) is the API's and the CLI's; these records describe it for OpenAPI.
/// </summary>
public sealed record DialogScript
{
    /// <summary>Stable id within the tenant; versions share it.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("version")]
    public int Version { get; init; } = 1;

    [JsonPropertyName("tenant")]
    public string? Tenant { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary><c>en</c> or <c>zh</c>: picks the recogniser's grammar and the default voice.</summary>
    [JsonPropertyName("language")]
    public string Language { get; init; } = "en";

    /// <summary>Default TTS voice (a robot's own voice setting overrides it).</summary>
    [JsonPropertyName("voice")]
    public string? Voice { get; init; }

    [JsonPropertyName("start")]
    public string? Start { get; init; }

    /// <summary>Customer-row columns the script may use as <c>{{name}}</c>.</summary>
    [JsonPropertyName("variables")]
    public IReadOnlyList<string> Variables { get; init; } = [];

    [JsonPropertyName("intents")]
    public IReadOnlyList<ScriptIntent> Intents { get; init; } = [];

    /// <summary>Intents honoured at every ask node (e.g. transfer_to_human, do_not_call).</summary>
    [JsonPropertyName("globalIntents")]
    public IReadOnlyList<IntentRoute> GlobalIntents { get; init; } = [];

    /// <summary>Extra synonym groups for the recogniser (concept name to phrases).</summary>
    [JsonPropertyName("synonyms")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Synonyms { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Confidence under which an utterance counts as no-match.</summary>
    [JsonPropertyName("unknownThreshold")]
    public double? UnknownThreshold { get; init; }

    [JsonPropertyName("nodes")]
    public IReadOnlyList<ScriptNode> Nodes { get; init; } = [];
}

/// <summary>An intent the script understands, taught by examples and optionally forced by keywords.</summary>
public sealed record ScriptIntent
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("examples")]
    public IReadOnlyList<string> Examples { get; init; } = [];

    [JsonPropertyName("keywords")]
    public IReadOnlyList<string> Keywords { get; init; } = [];
}

/// <summary>Where the dialog goes when an intent (or a DTMF digit standing for it) arrives.</summary>
public sealed record IntentRoute
{
    [JsonPropertyName("intent")]
    public required string Intent { get; init; }

    [JsonPropertyName("next")]
    public required string Next { get; init; }

    /// <summary>A key that chooses the same route (the dependable path where speech is weak).</summary>
    [JsonPropertyName("dtmf")]
    public string? Dtmf { get; init; }
}

/// <summary>What to do when the caller says nothing, or nothing understood, at an ask node.</summary>
public sealed record RetryHandling
{
    /// <summary>How many times the step is re-prompted before <see cref="Next"/> is taken.</summary>
    [JsonPropertyName("retries")]
    public int Retries { get; init; } = 1;

    /// <summary>Said before re-listening; the node's own prompt when absent.</summary>
    [JsonPropertyName("prompt")]
    public string? Prompt { get; init; }

    /// <summary>Where to go once retries are used up; hang up with a disposition when absent.</summary>
    [JsonPropertyName("next")]
    public string? Next { get; init; }
}

/// <summary>One step of the conversation; the <c>type</c> tag picks the kind.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(SayNode), "say")]
[JsonDerivedType(typeof(AskNode), "ask")]
[JsonDerivedType(typeof(BranchNode), "branch")]
[JsonDerivedType(typeof(CollectDtmfNode), "collectDtmf")]
[JsonDerivedType(typeof(SetVariableNode), "set")]
[JsonDerivedType(typeof(TransferNode), "transfer")]
[JsonDerivedType(typeof(HangupNode), "hangup")]
public abstract record ScriptNode
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The nodes this one can lead to (for validation and reachability).</summary>
    [JsonIgnore]
    public abstract IEnumerable<string?> Edges { get; }

    /// <summary>The texts this node speaks (checked for <c>{{variables}}</c>).</summary>
    [JsonIgnore]
    public abstract IEnumerable<string> Texts { get; }

    /// <summary>True for nodes that wait for the caller, which is what makes a loop safe.</summary>
    [JsonIgnore]
    public virtual bool WaitsForCaller => false;
}

/// <summary>Speaks a text (with <c>{{variables}}</c>) or plays a recorded WAV, then moves on.</summary>
public sealed record SayNode : ScriptNode
{
    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary>A recorded prompt (WAV) played instead of synthesising <see cref="Text"/>.</summary>
    [JsonPropertyName("audio")]
    public string? Audio { get; init; }

    [JsonPropertyName("bargeIn")]
    public bool BargeIn { get; init; }

    [JsonPropertyName("next")]
    public string? Next { get; init; }

    public override IEnumerable<string?> Edges => [Next];

    public override IEnumerable<string> Texts => Text is null ? [] : [Text];
}

/// <summary>Asks and listens for one of the expected intents (speech, or DTMF where mapped).</summary>
public sealed record AskNode : ScriptNode
{
    [JsonPropertyName("prompt")]
    public string? Prompt { get; init; }

    [JsonPropertyName("audio")]
    public string? Audio { get; init; }

    [JsonPropertyName("expect")]
    public IReadOnlyList<IntentRoute> Expect { get; init; } = [];

    [JsonPropertyName("noInput")]
    public RetryHandling NoInput { get; init; } = new();

    [JsonPropertyName("noMatch")]
    public RetryHandling NoMatch { get; init; } = new();

    /// <summary>Whether caller speech may interrupt the prompt (and be taken as the answer).</summary>
    [JsonPropertyName("bargeIn")]
    public bool BargeIn { get; init; } = true;

    /// <summary>Silence after the prompt before it counts as no-input.</summary>
    [JsonPropertyName("timeoutMs")]
    public int TimeoutMs { get; init; } = 5000;

    public override IEnumerable<string?> Edges =>
        Expect.Select(e => (string?)e.Next).Concat(NoInput.Next is null ? [] : [NoInput.Next]).Concat(NoMatch.Next is null ? [] : [NoMatch.Next]);

    public override IEnumerable<string> Texts =>
        new[] { Prompt, NoInput.Prompt, NoMatch.Prompt }.OfType<string>();

    public override bool WaitsForCaller => true;
}

/// <summary>One arm of a branch: taken when the tested value equals <see cref="EqualTo"/>.</summary>
public sealed record BranchCase
{
    [JsonPropertyName("equals")]
    public required string EqualTo { get; init; }

    [JsonPropertyName("next")]
    public required string Next { get; init; }
}

/// <summary>Chooses the next node on the last intent or on a variable, without speaking.</summary>
public sealed record BranchNode : ScriptNode
{
    /// <summary>The variable tested; absent means the last recognised intent.</summary>
    [JsonPropertyName("variable")]
    public string? Variable { get; init; }

    [JsonPropertyName("cases")]
    public IReadOnlyList<BranchCase> Cases { get; init; } = [];

    [JsonPropertyName("default")]
    public string? Default { get; init; }

    public override IEnumerable<string?> Edges => Cases.Select(c => (string?)c.Next).Append(Default);

    public override IEnumerable<string> Texts => [];
}

/// <summary>Collects keypad digits into a variable (an account number, a menu choice).</summary>
public sealed record CollectDtmfNode : ScriptNode
{
    [JsonPropertyName("prompt")]
    public string? Prompt { get; init; }

    [JsonPropertyName("variable")]
    public required string Variable { get; init; }

    [JsonPropertyName("maxDigits")]
    public int MaxDigits { get; init; } = 1;

    [JsonPropertyName("timeoutMs")]
    public int TimeoutMs { get; init; } = 5000;

    /// <summary>The key that ends entry early (usually <c>#</c>).</summary>
    [JsonPropertyName("terminator")]
    public string? Terminator { get; init; } = "#";

    [JsonPropertyName("noInput")]
    public RetryHandling NoInput { get; init; } = new();

    [JsonPropertyName("next")]
    public string? Next { get; init; }

    public override IEnumerable<string?> Edges => NoInput.Next is null ? [Next] : [Next, NoInput.Next];

    public override IEnumerable<string> Texts => new[] { Prompt, NoInput.Prompt }.OfType<string>();

    public override bool WaitsForCaller => true;
}

/// <summary>Sets a variable (its value may use other <c>{{variables}}</c>).</summary>
public sealed record SetVariableNode : ScriptNode
{
    [JsonPropertyName("variable")]
    public required string Variable { get; init; }

    [JsonPropertyName("value")]
    public string Value { get; init; } = string.Empty;

    [JsonPropertyName("next")]
    public string? Next { get; init; }

    public override IEnumerable<string?> Edges => [Next];

    public override IEnumerable<string> Texts => [Value];
}

/// <summary>Hands the call to a human in a skill group, with the transcript and variables.</summary>
public sealed record TransferNode : ScriptNode
{
    [JsonPropertyName("prompt")]
    public string? Prompt { get; init; }

    [JsonPropertyName("skillGroup")]
    public required string SkillGroup { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>Where to go when no agent became ready in time (e.g. offer a callback).</summary>
    [JsonPropertyName("noAgent")]
    public string? NoAgent { get; init; }

    public override IEnumerable<string?> Edges => NoAgent is null ? [] : [NoAgent];

    public override IEnumerable<string> Texts => Prompt is null ? [] : [Prompt];
}

/// <summary>Ends the call with a disposition, optionally putting the number on the do-not-call list.</summary>
public sealed record HangupNode : ScriptNode
{
    [JsonPropertyName("prompt")]
    public string? Prompt { get; init; }

    [JsonPropertyName("disposition")]
    public string Disposition { get; init; } = "completed";

    [JsonPropertyName("doNotCall")]
    public bool DoNotCall { get; init; }

    public override IEnumerable<string?> Edges => [];

    public override IEnumerable<string> Texts => Prompt is null ? [] : [Prompt];
}
