namespace Aicc.Domain.Robots;

/// <summary>What operators ask of a robot seat. Script existence is checked by the handler beforehand.</summary>
public abstract record RobotCommand
{
    private RobotCommand()
    {
    }

    public sealed record Create(
        Guid RobotId,
        Guid TenantId,
        string Name,
        ScriptVersion Script,
        string Voice,
        int Capacity,
        DateTimeOffset Now) : RobotCommand;

    public sealed record PinScript(Guid RobotId, ScriptVersion Script, DateTimeOffset Now) : RobotCommand;

    public sealed record ChangeVoice(Guid RobotId, string Voice, DateTimeOffset Now) : RobotCommand;

    public sealed record ChangeCapacity(Guid RobotId, int Capacity, DateTimeOffset Now) : RobotCommand;

    public sealed record Retire(Guid RobotId, DateTimeOffset Now) : RobotCommand;
}
