namespace Aicc.Domain.Robots;

/// <summary>
/// A robot seat (seed 000's 机器人坐席): which dialog script version it runs, which voice it speaks
/// with, and how many calls it may hold at once (the dialer's agentless pacing reads the capacity).
/// </summary>
public abstract record Robot
{
    private Robot()
    {
    }

    public sealed record None : Robot;

    public sealed record Active(Guid RobotId, Guid TenantId, string Name, ScriptVersion Script, string Voice, int Capacity)
        : Robot
    {
        /// <summary>The number inbound callers dial to reach this robot, if it has one.</summary>
        public InboundNumber? Inbound { get; init; }
    }

    public sealed record Retired(Guid RobotId, Guid TenantId, string Name) : Robot;

    public static Robot Initial { get; } = new None();

    public static Robot Evolve(Robot state, RobotEvent @event) => (state, @event) switch
    {
        (None, RobotEvent.Created e) => new Active(e.RobotId, e.TenantId, e.Name, e.Script, e.Voice, e.Capacity),
        (Active s, RobotEvent.ScriptPinned e) => s with { Script = e.Script },
        (Active s, RobotEvent.VoiceChanged e) => s with { Voice = e.Voice },
        (Active s, RobotEvent.CapacityChanged e) => s with { Capacity = e.Capacity },
        (Active s, RobotEvent.InboundNumberAssigned e) => s with { Inbound = new InboundNumber(e.Number, e.LineId, e.OverflowSkillGroup) },
        (Active s, RobotEvent.Retired) => new Retired(s.RobotId, s.TenantId, s.Name),
        _ => state,
    };
}

/// <summary>A script and the exact version of it; versions start at 1 and are never edited in place.</summary>
public sealed record ScriptVersion(Guid ScriptId, int Version);

/// <summary>A robot's inbound number, the line it arrives on, and where calls go when the robot is full.</summary>
public sealed record InboundNumber(string Number, Guid LineId, string? OverflowSkillGroup);
