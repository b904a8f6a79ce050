namespace Aicc.Domain.Lines;

/// <summary>What operators, the dialer and the health checker ask of a line.</summary>
public abstract record LineCommand
{
    private LineCommand()
    {
    }

    /// <summary>An operator adds a line on a gateway or trunk.</summary>
    public sealed record Create(Guid LineId, Guid TenantId, string Name, LineConfig Config, DateTimeOffset Now) : LineCommand;

    /// <summary>Address, transport, credentials, caller-ID rules or the channel cap change.</summary>
    public sealed record Reconfigure(Guid LineId, LineConfig Config, DateTimeOffset Now) : LineCommand;

    /// <summary>
    /// An operator changes how the gateway is reached and how much it may carry, everything but
    /// the credentials: they keep their own command, so a settings change decided on a fresh
    /// state never puts back credentials that changed meanwhile.
    /// </summary>
    public sealed record ChangeSettings(
        Guid LineId, string Address, LineTransport Transport, CallerIdRules CallerId, int MaxChannels, DateTimeOffset Now) : LineCommand;

    /// <summary>
    /// The carrier issued new trunk credentials (null: the line stops authenticating). Only the
    /// credentials change, so a concurrent change of another setting is decided on, not overwritten.
    /// </summary>
    public sealed record ChangeCredentials(Guid LineId, LineCredentials? Credentials, DateTimeOffset Now) : LineCommand;

    /// <summary>Taken before the INVITE leaves, so the channel cap holds across dialer nodes.</summary>
    public sealed record SeizeChannel(Guid LineId, Guid CallId, DateTimeOffset Now) : LineCommand;

    /// <summary>The call ended; a repeated or late release changes nothing.</summary>
    public sealed record ReleaseChannel(Guid LineId, Guid CallId, DateTimeOffset Now) : LineCommand;

    /// <summary>From an OPTIONS ping answered or a registration accepted.</summary>
    public sealed record ReportUp(Guid LineId, LineHealthSource Source, DateTimeOffset Now) : LineCommand;

    /// <summary>From OPTIONS pings unanswered or a registration refused.</summary>
    public sealed record ReportDown(Guid LineId, LineHealthSource Source, string Reason, DateTimeOffset Now) : LineCommand;

    /// <summary>The line leaves service; refused while calls still hold channels.</summary>
    public sealed record Retire(Guid LineId, DateTimeOffset Now) : LineCommand;
}
