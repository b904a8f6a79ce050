using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Robots;

namespace Aicc.Domain.Calls;

/// <summary>
/// What the dialer, the telephony layer (translating SIP into these), the robot, the router and
/// agents ask of a call. Duplicates are normal (retransmissions, webhooks): a repeat changes nothing.
/// </summary>
public abstract record CallCommand
{
    private CallCommand()
    {
    }

    /// <summary>The dialer (or an agent) creates a call for a customer before dialing it.</summary>
    public sealed record CreateOutbound(
        Guid CallId,
        Guid TenantId,
        Guid? TaskId,
        Guid? CustomerId,
        PhoneNumber Called,
        ValueMap BusinessData,
        DateTimeOffset Now) : CallCommand;

    /// <summary>Telephony reports an INVITE on one of the tenant's lines; the caller is kept as presented.</summary>
    public sealed record ReceiveInbound(Guid CallId, Guid TenantId, Guid LineId, string Caller, string Called, DateTimeOffset Now)
        : CallCommand;

    /// <summary><paramref name="Attempt"/> is the customer's attempt number (1-based), from the task's history.</summary>
    public sealed record Dial(Guid CallId, int Attempt, Guid LineId, PhoneNumber CallerId, DateTimeOffset Now) : CallCommand;

    /// <summary>Telephony saw 180/183 from the customer's side.</summary>
    public sealed record ReportRinging(Guid CallId, DateTimeOffset Now) : CallCommand;

    /// <summary>The customer's leg went off-hook (their 200 OK, or the platform answering an inbound call).</summary>
    public sealed record Answer(Guid CallId, DateTimeOffset Now) : CallCommand;

    /// <summary>A robot takes the call with the script version it will run to the end.</summary>
    public sealed record ConnectRobot(Guid CallId, Guid RobotId, ScriptVersion Script, DateTimeOffset Now) : CallCommand;

    /// <summary>The call waits for a ready agent of the skill group.</summary>
    public sealed record Queue(Guid CallId, string SkillGroup, DateTimeOffset Now) : CallCommand;

    /// <summary>The router rings one agent with the call.</summary>
    public sealed record OfferToAgent(Guid CallId, Guid AgentId, DateTimeOffset Now) : CallCommand;

    /// <summary>The offered agent did not take the call; late or stale reports are no-ops.</summary>
    public sealed record WithdrawOffer(Guid CallId, Guid AgentId, DateTimeOffset Now) : CallCommand;

    /// <summary>The offered agent answered; customer and agent are bridged.</summary>
    public sealed record ConnectAgent(Guid CallId, Guid AgentId, DateTimeOffset Now) : CallCommand;

    /// <summary>The robot (on a transfer intent) or the agent hands the call on.</summary>
    public sealed record Transfer(Guid CallId, TransferTarget To, string Reason, DateTimeOffset Now) : CallCommand;

    /// <summary>The agent puts the customer on hold.</summary>
    public sealed record Hold(Guid CallId, DateTimeOffset Now) : CallCommand;

    /// <summary>The agent takes the customer off hold.</summary>
    public sealed record Resume(Guid CallId, DateTimeOffset Now) : CallCommand;

    /// <summary>Recording starts (tenant setting or agent action) once there is audio to record.</summary>
    public sealed record StartRecording(Guid CallId, Guid RecordingId, DateTimeOffset Now) : CallCommand;

    /// <summary>Recording stopped; may arrive after hang-up with the stored file's location.</summary>
    public sealed record StopRecording(Guid CallId, Guid RecordingId, string? Location, DateTimeOffset Now) : CallCommand;

    /// <summary>Keys the customer pressed (RFC 4733 events or SIP INFO), numbered per call.</summary>
    public sealed record ReceiveDtmf(Guid CallId, int Sequence, string Digits, DateTimeOffset Now) : CallCommand;

    /// <summary>The call ended; the decider works out the outcome from how far it got.</summary>
    public sealed record HangUp(Guid CallId, HangUpParty By, CloseReason Reason, DateTimeOffset Now) : CallCommand;

    /// <summary><paramref name="Allowed"/> is the task's disposition list, loaded beforehand (empty: any).</summary>
    public sealed record SetDisposition(
        Guid CallId,
        Guid AgentId,
        string Disposition,
        string? Note,
        ValueList<string> Allowed,
        DateTimeOffset Now) : CallCommand;
    /// <summary>The robot started playing a prompt.</summary>
    public sealed record RecordPrompt(Guid CallId, string NodeId, string Text, string Voice, bool BargeIn, DateTimeOffset Now) : CallCommand;

    /// <summary>The caller talked over the robot's prompt and it stopped.</summary>
    public sealed record RecordBargeIn(Guid CallId, string NodeId, DateTimeOffset Now) : CallCommand;

    /// <summary>Speech recognition finished one of the caller's turns.</summary>
    public sealed record RecordUtterance(
        Guid CallId,
        string NodeId,
        string Text,
        double Confidence,
        DateTimeOffset SpeechStartedAt,
        DateTimeOffset SpeechEndedAt,
        DateTimeOffset Now) : CallCommand;

    /// <summary>The robot's dialog matched an intent (from words or keys).</summary>
    public sealed record RecordIntent(Guid CallId, string NodeId, string Intent, double Confidence, DateTimeOffset Now) : CallCommand;

    /// <summary>The robot's script set a variable.</summary>
    public sealed record RecordVariable(Guid CallId, string Name, string Value, DateTimeOffset Now) : CallCommand;

    /// <summary>The robot hands the call to a skill group's queue, with the reason and what the agent should know.</summary>
    public sealed record RequestTransfer(Guid CallId, string SkillGroup, string Reason, ValueMap Context, DateTimeOffset Now) : CallCommand;

    /// <summary>No agent took the queued call in time; the robot takes the caller back.</summary>
    public sealed record FailTransfer(Guid CallId, string Reason, DateTimeOffset Now) : CallCommand;

    /// <summary>The caller accepted a call back at <paramref name="DueAt"/>.</summary>
    public sealed record ScheduleCallback(Guid CallId, string Number, DateTimeOffset DueAt, DateTimeOffset Now) : CallCommand;

    /// <summary>A supervisor's phone answered: they join the call with its agent in <paramref name="Mode"/>.</summary>
    public sealed record StartMonitor(Guid CallId, Guid SupervisorId, MonitorMode Mode, DateTimeOffset Now) : CallCommand;

    /// <summary>The monitoring supervisor switches mode.</summary>
    public sealed record ChangeMonitorMode(Guid CallId, Guid SupervisorId, MonitorMode Mode, DateTimeOffset Now) : CallCommand;

    /// <summary>The supervisor leaves the call's audio (also when the call ends or leaves the agent).</summary>
    public sealed record EndMonitor(Guid CallId, Guid SupervisorId, string Reason, DateTimeOffset Now) : CallCommand;
}
