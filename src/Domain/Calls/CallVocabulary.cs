using System.Text.Json.Serialization;

namespace Aicc.Domain.Calls;

/// <summary>Whether the platform placed the call or received it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallDirection>))]
public enum CallDirection
{
    Inbound = 1,
    Outbound,
}

/// <summary>
/// Why a call closed, with seed 001's close_type codes as values so call records export them as-is
/// (0 normal, 1/2 A/B leg unreachable, 3/4 A/B leg busy, 5 max duration, 6 channel server error,
/// 7 channel network error, 255 other). A is the caller's leg, B the called party's.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CloseReason>))]
public enum CloseReason
{
    Normal = 0,
    AUnreachable = 1,
    BUnreachable = 2,
    ABusy = 3,
    BBusy = 4,
    MaxDuration = 5,
    ChannelError = 6,
    NetworkError = 7,
    Other = 255,
}

/// <summary>Who ended the call, named by role so it reads the same for inbound and outbound calls.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HangUpParty>))]
public enum HangUpParty
{
    /// <summary>The customer (callee of an outbound call, caller of an inbound one).</summary>
    Customer = 1,

    /// <summary>The agent or robot on the platform's side.</summary>
    Seat,

    /// <summary>The platform itself: ring timeout, max duration, shutdown, a carrier error.</summary>
    Platform,
}

/// <summary>
/// What the call achieved, decided at hang-up; the dialer's retry policy and the abandon rate
/// (answered, but no seat ever took it) are computed from it.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallOutcome>))]
public enum CallOutcome
{
    /// <summary>A robot or an agent talked with the customer.</summary>
    Answered = 1,

    /// <summary>The customer was on the line but no seat took the call before it ended.</summary>
    Abandoned,

    Busy,
    NoAnswer,
    Failed,

    /// <summary>The calling side gave up before the other side answered.</summary>
    Cancelled,
}

/// <summary>Where a robot or agent sends a call they hand on.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ToSkillGroup), "skill_group")]
[JsonDerivedType(typeof(ToAgent), "agent")]
public abstract record TransferTarget
{
    private TransferTarget()
    {
    }

    /// <summary>Queue for the first ready agent of the group (the robot's hand-over, R5).</summary>
    public sealed record ToSkillGroup(string SkillGroup) : TransferTarget;

    /// <summary>Offer straight to one agent (a supervisor, a colleague).</summary>
    public sealed record ToAgent(Guid AgentId) : TransferTarget;
}

/// <summary>A recording of the call; <see cref="Location"/> arrives when the file is stored.</summary>
public sealed record CallRecording(Guid RecordingId, DateTimeOffset StartedAt, DateTimeOffset? StoppedAt, string? Location)
{
    public bool IsActive => StoppedAt is null;
}

/// <summary>What the agent recorded as the result of the conversation.</summary>
public sealed record CallDisposition(Guid AgentId, string Disposition, string? Note, DateTimeOffset SetAt);

/// <summary>Connects a call's outcome to the task's redial rules.</summary>
public static class CallOutcomeRetry
{
    /// <summary>The retry rule that applies after this outcome; null when the number is not redialed for it.</summary>
    public static Tasks.RetryOutcome? AsRetryOutcome(this CallOutcome outcome) => outcome switch
    {
        CallOutcome.Busy => Tasks.RetryOutcome.Busy,
        CallOutcome.NoAnswer => Tasks.RetryOutcome.NoAnswer,
        CallOutcome.Failed => Tasks.RetryOutcome.Failed,
        CallOutcome.Abandoned => Tasks.RetryOutcome.Abandoned,
        _ => null,
    };
}
