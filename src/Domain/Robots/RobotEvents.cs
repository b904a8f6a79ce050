namespace Aicc.Domain.Robots;

/// <summary>Everything that happens to a robot seat's configuration; one stream per robot.</summary>
public abstract record RobotEvent
{
    private RobotEvent()
    {
    }

    /// <summary>A robot seat exists with its script version, voice and capacity.</summary>
    public sealed record Created(
        Guid RobotId,
        Guid TenantId,
        string Name,
        ScriptVersion Script,
        string Voice,
        int Capacity,
        DateTimeOffset CreatedAt) : RobotEvent;

    /// <summary>New calls use this script version; calls in progress keep the version they started with.</summary>
    public sealed record ScriptPinned(Guid RobotId, ScriptVersion Script, DateTimeOffset PinnedAt) : RobotEvent;

    /// <summary>Seed 002's 音色: which synthetic voice the robot speaks with.</summary>
    public sealed record VoiceChanged(Guid RobotId, string Voice, DateTimeOffset ChangedAt) : RobotEvent;

    /// <summary>The dialer may run this many robot calls at once from now on.</summary>
    public sealed record CapacityChanged(Guid RobotId, int Capacity, DateTimeOffset ChangedAt) : RobotEvent;

    /// <summary>The robot takes no new calls; its history stays.</summary>
    public sealed record Retired(Guid RobotId, DateTimeOffset RetiredAt) : RobotEvent;
    /// <summary>
    /// Inbound calls to <paramref name="Number"/> (as the carrier presents the called number) reach
    /// this robot; <paramref name="OverflowSkillGroup"/> takes them when the robot is at capacity
    /// (none: the caller hears busy).
    /// </summary>
    public sealed record InboundNumberAssigned(Guid RobotId, string Number, Guid LineId, string? OverflowSkillGroup, DateTimeOffset AssignedAt)
        : RobotEvent;
}
