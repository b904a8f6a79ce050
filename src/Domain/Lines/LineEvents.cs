namespace Aicc.Domain.Lines;

/// <summary>Everything that happens to a gateway line (trunk); one stream per line.</summary>
public abstract record LineEvent
{
    private LineEvent()
    {
    }

    /// <summary>A line exists; its health is unknown until the first ping or registration.</summary>
    public sealed record Created(Guid LineId, Guid TenantId, string Name, LineConfig Config, DateTimeOffset CreatedAt)
        : LineEvent;

    /// <summary>New connection settings or cap; calls in progress are not cut.</summary>
    public sealed record Reconfigured(Guid LineId, LineConfig Config, DateTimeOffset ReconfiguredAt) : LineEvent;

    /// <summary>A call took one of the line's channels; <paramref name="InUse"/> is the count after it.</summary>
    public sealed record ChannelSeized(Guid LineId, Guid CallId, int InUse, DateTimeOffset SeizedAt) : LineEvent;

    /// <summary>The call gave its channel back; <paramref name="InUse"/> is the count after it.</summary>
    public sealed record ChannelReleased(Guid LineId, Guid CallId, int InUse, DateTimeOffset ReleasedAt) : LineEvent;

    /// <summary>The gateway answers again; dialing may use the line.</summary>
    public sealed record WentUp(Guid LineId, LineHealthSource Source, DateTimeOffset WentUpAt) : LineEvent;

    /// <summary>Dialing stops on this line until it comes back (seed 001: Health switches channels on failure).</summary>
    public sealed record WentDown(Guid LineId, LineHealthSource Source, string Reason, DateTimeOffset WentDownAt)
        : LineEvent;

    /// <summary>The line is out of service for good.</summary>
    public sealed record Retired(Guid LineId, DateTimeOffset RetiredAt) : LineEvent;
}
