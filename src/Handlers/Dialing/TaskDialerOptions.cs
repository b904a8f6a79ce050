using System.Net;
using Aicc.Domain.Dialing;
using Aicc.Domain.PhoneNumbers;

namespace Aicc.Handlers.Dialing;

/// <summary>
/// What one task's dialer needs to place calls: whose task, which line and trunk the calls leave
/// through, the caller id they present, and the capacity the pacer may fill.
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

    /// <summary>How long a stopping dialer waits for its hung-up calls to report before leaving them to the next leader's reconciliation.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an originated call may ring before the trunk is told to give up.</summary>
    public TimeSpan? RingTimeout { get; init; }
}
