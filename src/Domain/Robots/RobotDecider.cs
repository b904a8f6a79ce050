using Aicc.Domain.Common;

namespace Aicc.Domain.Robots;

/// <summary>Decides robot seat commands.</summary>
public static class RobotDecider
{
    public static Robot Initial => Robot.Initial;

    public static Decider<RobotCommand, RobotEvent, Robot> Definition { get; } = new(Decide, Evolve, Initial);

    public static Robot Evolve(Robot state, RobotEvent @event) => Robot.Evolve(state, @event);

    public static IReadOnlyList<RobotEvent> Decide(RobotCommand command, Robot state) => (command, state) switch
    {
        (RobotCommand.Create c, Robot.None) => [Create(c)],
        (RobotCommand.Create c, Robot.Active s) when s.Name == c.Name.Trim() => [],
        (RobotCommand.Create, _) => throw new DomainException("robot.already_exists", "A robot with this id already exists."),
        (_, Robot.None) => throw new DomainException("robot.not_found", "The robot does not exist."),
        (RobotCommand.Retire, Robot.Retired) => [],
        (_, Robot.Retired) => throw new DomainException("robot.retired", "The robot was retired."),

        (RobotCommand.PinScript c, Robot.Active s) => RequireScript(c.Script) == s.Script
            ? []
            : [new RobotEvent.ScriptPinned(c.RobotId, c.Script, c.Now)],
        (RobotCommand.ChangeVoice c, Robot.Active s) => RequireVoice(c.Voice) == s.Voice
            ? []
            : [new RobotEvent.VoiceChanged(c.RobotId, c.Voice.Trim(), c.Now)],
        (RobotCommand.ChangeCapacity c, Robot.Active s) => RequireCapacity(c.Capacity) == s.Capacity
            ? []
            : [new RobotEvent.CapacityChanged(c.RobotId, c.Capacity, c.Now)],
        (RobotCommand.AssignInboundNumber c, Robot.Active s) => AssignInboundNumber(c, s),
        (RobotCommand.Retire c, Robot.Active) => [new RobotEvent.Retired(c.RobotId, c.Now)],

        _ => throw new DomainException("robot.unsupported", $"{command.GetType().Name} is not possible now."),
    };

    private static RobotEvent Create(RobotCommand.Create c)
    {
        if (string.IsNullOrWhiteSpace(c.Name))
        {
            throw new DomainException("robot.name_required", "A robot needs a name.");
        }

        return new RobotEvent.Created(
            c.RobotId,
            c.TenantId,
            c.Name.Trim(),
            RequireScript(c.Script),
            RequireVoice(c.Voice),
            RequireCapacity(c.Capacity),
            c.Now);
    }

    private static IReadOnlyList<RobotEvent> AssignInboundNumber(RobotCommand.AssignInboundNumber c, Robot.Active s)
    {
        var number = c.Number?.Trim() ?? string.Empty;
        if (number.Length is 0 or > 32 || !number.Select((ch, i) => char.IsAsciiDigit(ch) || (ch == '+' && i == 0)).All(ok => ok))
        {
            throw new DomainException("robot.invalid_number", "An inbound number is digits, optionally after a leading +.");
        }

        if (c.LineId == Guid.Empty)
        {
            throw new DomainException("robot.line_required", "Name the line the number arrives on.");
        }

        var overflow = string.IsNullOrWhiteSpace(c.OverflowSkillGroup) ? null : c.OverflowSkillGroup.Trim();
        var wanted = new InboundNumber(number, c.LineId, overflow);
        return s.Inbound == wanted ? [] : [new RobotEvent.InboundNumberAssigned(c.RobotId, number, c.LineId, overflow, c.Now)];
    }

    private static ScriptVersion RequireScript(ScriptVersion script) =>
        script.ScriptId == Guid.Empty || script.Version < 1
            ? throw new DomainException("robot.invalid_script", "A robot runs one existing script version (1 or later).")
            : script;

    private static string RequireVoice(string voice) =>
        string.IsNullOrWhiteSpace(voice)
            ? throw new DomainException("robot.voice_required", "A robot needs a voice.")
            : voice.Trim();

    private static int RequireCapacity(int capacity) =>
        capacity < 1
            ? throw new DomainException("robot.invalid_capacity", "A robot holds at least one call at a time.")
            : capacity;
}
