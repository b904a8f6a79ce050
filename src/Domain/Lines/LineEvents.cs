namespace Aicc.Domain.Lines;

/// <summary>Everything that happens to a gateway line (trunk); one stream per line.</summary>
public abstract record LineEvent
{
    private LineEvent()
    {
    }

    public sealed record Created(Guid LineId, Guid TenantId, string Name, LineConfig Config, DateTimeOffset CreatedAt)
        : LineEvent;

    public sealed record Reconfigured(Guid LineId, LineConfig Config, DateTimeOffset ReconfiguredAt) : LineEvent;

    /// <summary>A call took one of the line's channels; <paramref name="InUse"/> is the count after it.</summary>
    public sealed record ChannelSeized(Guid LineId, Guid CallId, int InUse, DateTimeOffset SeizedAt) : LineEvent;

    /// <summary>The call gave its channel back; <paramref name="InUse"/> is the count after it.</summary>
    public sealed record ChannelReleased(Guid LineId, Guid CallId, int InUse, DateTimeOffset ReleasedAt) : LineEvent;

    public sealed record WentUp(Guid LineId, LineHealthSource Source, DateTimeOffset WentUpAt) : LineEvent;

    /// <summary>Dialing stops on this line until it comes back (seed 001: Health switches channels on failure).</summary>
    public sealed record WentDown(Guid LineId, LineHealthSource Source, string Reason, DateTimeOffset WentDownAt)
        : LineEvent;

    public sealed record Retired(Guid LineId, DateTimeOffset RetiredAt) : LineEvent;
}
