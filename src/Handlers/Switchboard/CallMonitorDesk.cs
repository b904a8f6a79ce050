using Aicc.Domain.Calls;

namespace Aicc.Handlers.Switchboard;

/// <summary>How a supervisor's monitor request went on the node asked.</summary>
public enum MonitorOutcome
{
    /// <summary>This process does not carry the call (another node does, or nobody).</summary>
    NotCarried,

    /// <summary>The call has no agent on it now (a transfer is looking for one).</summary>
    NotWithAgent,

    /// <summary>Another supervisor is monitoring the call.</summary>
    MonitoredByAnother,

    /// <summary>The supervisor's phone could not be rung (not registered).</summary>
    PhoneUnreachable,

    /// <summary>The supervisor's phone rings; on answer it joins in the mode asked last.</summary>
    Ringing,

    /// <summary>The supervisor is on the call in the mode asked.</summary>
    Joined,

    /// <summary>This supervisor is not monitoring the call.</summary>
    NotMonitoring,

    /// <summary>The supervisor's phone was hung up and the bridge carries on as before.</summary>
    Left,
}

/// <summary>
/// Silent monitor, whisper and barge (ADR 0018) on the calls a process carries. Like the agent's
/// console commands they act on media, so only the node carrying the call can apply them.
/// </summary>
public interface ICallMonitorDesk
{
    /// <summary>Rings <paramref name="phone"/> (the supervisor's seat); on answer it joins the call in <paramref name="mode"/>.</summary>
    Task<MonitorOutcome> MonitorAsync(Guid tenantId, Guid callId, Guid supervisorId, AgentSeat phone, MonitorMode mode, CancellationToken cancellationToken);

    /// <summary>Switches the supervisor's mode (while ringing: the mode they join in).</summary>
    Task<MonitorOutcome> ChangeModeAsync(Guid tenantId, Guid callId, Guid supervisorId, MonitorMode mode, CancellationToken cancellationToken);

    /// <summary>Hangs up the supervisor's phone; the call carries on as before.</summary>
    Task<MonitorOutcome> LeaveAsync(Guid tenantId, Guid callId, Guid supervisorId, CancellationToken cancellationToken);
}
