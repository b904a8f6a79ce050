namespace Aicc.Domain.Calls;

public static partial class CallDecider
{
    /// <summary>
    /// One supervisor at a time, and only on a call with its agent: a second supervisor is refused
    /// (the first must leave), the same one asking again only changes the mode.
    /// </summary>
    private static IReadOnlyList<CallEvent> StartMonitor(CallCommand.StartMonitor c, Call.Existing s)
    {
        if (s is Call.Ended)
        {
            throw new DomainException("call.ended", "The call has ended.");
        }

        if (s is not Call.WithAgent)
        {
            throw new DomainException("call.not_with_agent", "Only a call connected to an agent can be monitored.");
        }

        return s.Info.Monitor switch
        {
            null => [new CallEvent.MonitorStarted(c.CallId, c.SupervisorId, c.Mode, c.Now)],
            { SupervisorId: var who } m when who == c.SupervisorId => m.Mode == c.Mode
                ? []
                : [new CallEvent.MonitorModeChanged(c.CallId, c.SupervisorId, c.Mode, c.Now)],
            _ => throw new DomainException("call.monitored", "Another supervisor is monitoring this call."),
        };
    }

    private static IReadOnlyList<CallEvent> ChangeMonitorMode(CallCommand.ChangeMonitorMode c, CallInfo info) => info.Monitor switch
    {
        { SupervisorId: var who } m when who == c.SupervisorId => m.Mode == c.Mode
            ? []
            : [new CallEvent.MonitorModeChanged(c.CallId, c.SupervisorId, c.Mode, c.Now)],
        _ => throw new DomainException("call.not_monitored", "You are not monitoring this call."),
    };

    /// <summary>Allowed after the call ended too: the monitor's end is recorded whichever comes first.</summary>
    private static IReadOnlyList<CallEvent> EndMonitor(CallCommand.EndMonitor c, CallInfo info) =>
        info.Monitor?.SupervisorId == c.SupervisorId
            ? [new CallEvent.MonitorEnded(c.CallId, c.SupervisorId, string.IsNullOrWhiteSpace(c.Reason) ? "left" : c.Reason.Trim(), c.Now)]
            : [];
}
