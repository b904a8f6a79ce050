using System.Collections.Immutable;
using System.Net;
using Aicc.Domain.Compliance;
using Aicc.Domain.Dialing;
using Aicc.Domain.Numbers;
using Aicc.Domain.PhoneNumbers;

namespace Aicc.Handlers.Dialing;

/// <summary>
/// What one task's dialer needs to place calls: whose task, which line and trunk the calls leave
/// through, the caller id they present (or the pool that picks one per call), the capacity the
/// pacer may fill, and the task's compliance and redial rules. <see cref="TaskDialerSettings"/>
/// builds it from the task's and the line's streams.
/// </summary>
public sealed record TaskDialerOptions(
    Guid TenantId,
    Guid TaskId,
    Guid LineId,
    PhoneNumber CallerId,
    IPEndPoint Trunk,
    PacingSettings Pacing,
    int LineChannels,
    int RobotSlots = 0)
{
    /// <summary>How long to wait between attempts to take the task's lock while another dialer holds it.</summary>
    public TimeSpan LeadershipRetry { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the loop idles when there is nothing to dial and no call-control event.</summary>
    public TimeSpan IdleWait { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the dialer looks for customers that became due (new batches, redials) while it has none queued.</summary>
    public TimeSpan WorkRefresh { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a stopping dialer waits for its hung-up calls to report before leaving them to the next leader's reconciliation.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an originated call may ring before the trunk is told to give up (a no-answer).</summary>
    public TimeSpan? RingTimeout { get; init; }

    /// <summary>Whether the INVITEs go over TCP (the line's transport).</summary>
    public bool UseTcp { get; init; }

    /// <summary>Digits the carrier wants before the callee's number (the line's dial prefix).</summary>
    public string? DialPrefix { get; init; }

    /// <summary>Redial rules per outcome (converted from the task's retry policy).</summary>
    public RedialPolicy Redials { get; init; } = RedialPolicy.Default;

    /// <summary>Calling windows in the callee's local time; empty: always open.</summary>
    public ImmutableArray<CallingWindow> Windows { get; init; } = [];

    /// <summary>The caller-number pool that picks each call's caller id; null: <see cref="CallerId"/> for every call.</summary>
    public Guid? NumberPoolId { get; init; }

    /// <summary>The prefix and city tables: the callee's city (nearest caller number) and time zone (calling windows).</summary>
    public CityDirectory Cities { get; init; } = CityDirectories.China;

    /// <summary>The zone of callees the city table does not place (the tenant's time zone).</summary>
    public TimeZoneInfo DefaultZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The skill group whose ready and busy agents pace an agent task (null: agentless).</summary>
    public string? SkillGroup { get; init; }
}
