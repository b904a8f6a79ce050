namespace Aicc.EventStore;

/// <summary>
/// Who and what caused an append, stored with every event as jsonb so that a call's history
/// can be traced across streams (correlation), to the message that caused it (causation), and
/// to outside identifiers such as the SIP Call-ID (free headers).
/// </summary>
public sealed record EventMetadata(
    string? CorrelationId = null,
    string? CausationId = null,
    string? User = null,
    IReadOnlyDictionary<string, string>? Headers = null);
