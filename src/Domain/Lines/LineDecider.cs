using Aicc.Domain.Common;

namespace Aicc.Domain.Lines;

/// <summary>Decides line commands; the channel cap is enforced here and nowhere else.</summary>
public static class LineDecider
{
    public static Line Initial => Line.Initial;

    public static Decider<LineCommand, LineEvent, Line> Definition { get; } = new(Decide, Evolve, Initial);

    public static Line Evolve(Line state, LineEvent @event) => Line.Evolve(state, @event);

    public static IReadOnlyList<LineEvent> Decide(LineCommand command, Line state) => (command, state) switch
    {
        (LineCommand.Create c, Line.None) => [Create(c)],
        (LineCommand.Create c, Line.Active s) when s.Name == c.Name.Trim() && s.Config == c.Config => [],
        (LineCommand.Create, _) => throw new DomainException("line.already_exists", "A line with this id already exists."),
        (_, Line.None) => throw new DomainException("line.not_found", "The line does not exist."),
        (LineCommand.Retire, Line.Retired) => [],
        (LineCommand.ReleaseChannel, Line.Retired) => [],
        (_, Line.Retired) => throw new DomainException("line.retired", "The line was retired."),

        (LineCommand.Reconfigure c, Line.Active s) => Validate(c.Config) == s.Config
            ? []
            : [new LineEvent.Reconfigured(c.LineId, c.Config, c.Now)],
        (LineCommand.ChangeSettings c, Line.Active s) => ChangeSettings(c, s),
        (LineCommand.ChangeCredentials c, Line.Active s) => c.Credentials == s.Config.Credentials
            ? []
            : [new LineEvent.Reconfigured(c.LineId, Validate(s.Config with { Credentials = c.Credentials }), c.Now)],
        (LineCommand.SeizeChannel c, Line.Active s) => Seize(c, s),
        (LineCommand.ReleaseChannel c, Line.Active s) => s.ChannelsInUse.Contains(c.CallId)
            ? [new LineEvent.ChannelReleased(c.LineId, c.CallId, s.ChannelsInUse.Count - 1, c.Now)]
            : [],
        (LineCommand.ReportUp c, Line.Active s) => s.Health == LineHealth.Up
            ? []
            : [new LineEvent.WentUp(c.LineId, c.Source, c.Now)],
        (LineCommand.ReportDown c, Line.Active s) => s.Health == LineHealth.Down
            ? []
            : [new LineEvent.WentDown(c.LineId, c.Source, string.IsNullOrWhiteSpace(c.Reason) ? "unreachable" : c.Reason.Trim(), c.Now)],
        (LineCommand.Retire c, Line.Active s) => s.ChannelsInUse.Count == 0
            ? [new LineEvent.Retired(c.LineId, c.Now)]
            : throw new DomainException("line.in_use", $"{s.ChannelsInUse.Count} calls still hold channels on this line."),

        _ => throw new DomainException("line.unsupported", $"{command.GetType().Name} is not possible now."),
    };

    private static LineEvent Create(LineCommand.Create c)
    {
        if (string.IsNullOrWhiteSpace(c.Name))
        {
            throw new DomainException("line.name_required", "A line needs a name.");
        }

        return new LineEvent.Created(c.LineId, c.TenantId, c.Name.Trim(), Validate(c.Config), c.Now);
    }

    private static IReadOnlyList<LineEvent> ChangeSettings(LineCommand.ChangeSettings c, Line.Active s)
    {
        var config = Validate(s.Config with
        {
            Address = c.Address?.Trim() ?? string.Empty,
            Transport = c.Transport,
            CallerId = c.CallerId,
            MaxChannels = c.MaxChannels,
        });
        return config == s.Config ? [] : [new LineEvent.Reconfigured(c.LineId, config, c.Now)];
    }

    /// <summary>
    /// A seize is idempotent per call, refused on a line known to be down, and refused at the cap.
    /// Lowering the cap below the channels in use lets those calls finish and blocks new ones.
    /// </summary>
    private static IReadOnlyList<LineEvent> Seize(LineCommand.SeizeChannel c, Line.Active s)
    {
        if (s.ChannelsInUse.Contains(c.CallId))
        {
            return [];
        }

        if (s.Health == LineHealth.Down)
        {
            throw new DomainException("line.down", "The line is down.");
        }

        if (s.ChannelsInUse.Count >= s.Config.MaxChannels)
        {
            throw new DomainException(
                "line.at_capacity", $"All {s.Config.MaxChannels} channels of the line are in use.");
        }

        return [new LineEvent.ChannelSeized(c.LineId, c.CallId, s.ChannelsInUse.Count + 1, c.Now)];
    }

    private static LineConfig Validate(LineConfig config)
    {
        if (string.IsNullOrWhiteSpace(config.Address))
        {
            throw new DomainException("line.address_required", "A line needs the gateway's address.");
        }

        if (!Enum.IsDefined(config.Transport))
        {
            throw new DomainException("line.unknown_transport", $"'{config.Transport}' is not a SIP transport.");
        }

        if (config.MaxChannels < 1)
        {
            throw new DomainException("line.invalid_max_channels", "A line carries at least one channel.");
        }

        if (config.Credentials is { } credentials
            && (string.IsNullOrWhiteSpace(credentials.Username) || string.IsNullOrWhiteSpace(credentials.ProtectedPassword)))
        {
            throw new DomainException("line.invalid_credentials", "Credentials need a username and a protected password.");
        }

        var callerId = config.CallerId;
        if (!Enum.IsDefined(callerId.Mode))
        {
            throw new DomainException("line.invalid_caller_id_rules", $"'{callerId.Mode}' is not a caller ID mode.");
        }

        if (callerId.Mode == CallerIdMode.Fixed && callerId.FixedNumber is null)
        {
            throw new DomainException("line.invalid_caller_id_rules", "A fixed caller ID mode needs the number.");
        }

        if (callerId.DialPrefix is { } prefix && (prefix.Length == 0 || !prefix.All(char.IsAsciiDigit)))
        {
            throw new DomainException("line.invalid_caller_id_rules", "A dial prefix is made of digits.");
        }

        return config;
    }
}
