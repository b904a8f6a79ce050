namespace Aicc.Domain.Robots;

/// <summary>What operators ask of a robot seat. Script existence is checked by the handler beforehand.</summary>
public abstract record RobotCommand
{
    private RobotCommand()
    {
    }

    /// <summary>An operator adds a robot seat with its script version, voice and capacity.</summary>
    public sealed record Create(
        Guid RobotId,
        Guid TenantId,
        string Name,
        ScriptVersion Script,
        string Voice,
        int Capacity,
        DateTimeOffset Now) : RobotCommand;

    /// <summary>New calls use this version; a repeat changes nothing.</summary>
    public sealed record PinScript(Guid RobotId, ScriptVersion Script, DateTimeOffset Now) : RobotCommand;

    /// <summary>Seed 002's 音色 (for example a sweet female or standard male voice).</summary>
    public sealed record ChangeVoice(Guid RobotId, string Voice, DateTimeOffset Now) : RobotCommand;

    /// <summary>How many calls the robot may hold at once.</summary>
    public sealed record ChangeCapacity(Guid RobotId, int Capacity, DateTimeOffset Now) : RobotCommand;

    /// <summary>The robot takes no new calls.</summary>
    public sealed record Retire(Guid RobotId, DateTimeOffset Now) : RobotCommand;
    /// <summary>Calls to <paramref name="Number"/> arriving over <paramref name="LineId"/> are answered by this robot; when it is full they go to <paramref name="OverflowSkillGroup"/>'s agents, or are refused busy when none is named.</summary>
    public sealed record AssignInboundNumber(Guid RobotId, string Number, Guid LineId, string? OverflowSkillGroup, DateTimeOffset Now) : RobotCommand;
}
