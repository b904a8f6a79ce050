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

    public sealed record CreateOutbound(
        Guid CallId,
        Guid TenantId,
        Guid? TaskId,
        Guid? CustomerId,
        PhoneNumber Called,
        ValueMap BusinessData,
        DateTimeOffset Now) : CallCommand;

    public sealed record ReceiveInbound(Guid CallId, Guid TenantId, Guid LineId, string Caller, string Called, DateTimeOffset Now)
        : CallCommand;

    /// <summary><paramref name="Attempt"/> is the customer's attempt number (1-based), from the task's history.</summary>
    public sealed record Dial(Guid CallId, int Attempt, Guid LineId, PhoneNumber CallerId, DateTimeOffset Now) : CallCommand;

    public sealed record ReportRinging(Guid CallId, DateTimeOffset Now) : CallCommand;

    public sealed record Answer(Guid CallId, DateTimeOffset Now) : CallCommand;

    public sealed record ConnectRobot(Guid CallId, Guid RobotId, ScriptVersion Script, DateTimeOffset Now) : CallCommand;

    public sealed record Queue(Guid CallId, string SkillGroup, DateTimeOffset Now) : CallCommand;

    public sealed record OfferToAgent(Guid CallId, Guid AgentId, DateTimeOffset Now) : CallCommand;

    public sealed record WithdrawOffer(Guid CallId, Guid AgentId, DateTimeOffset Now) : CallCommand;

    public sealed record ConnectAgent(Guid CallId, Guid AgentId, DateTimeOffset Now) : CallCommand;

    public sealed record Transfer(Guid CallId, TransferTarget To, string Reason, DateTimeOffset Now) : CallCommand;

    public sealed record Hold(Guid CallId, DateTimeOffset Now) : CallCommand;

    public sealed record Resume(Guid CallId, DateTimeOffset Now) : CallCommand;

    public sealed record StartRecording(Guid CallId, Guid RecordingId, DateTimeOffset Now) : CallCommand;

    public sealed record StopRecording(Guid CallId, Guid RecordingId, string? Location, DateTimeOffset Now) : CallCommand;

    public sealed record ReceiveDtmf(Guid CallId, int Sequence, string Digits, DateTimeOffset Now) : CallCommand;

    public sealed record HangUp(Guid CallId, HangUpParty By, CloseReason Reason, DateTimeOffset Now) : CallCommand;

    /// <summary><paramref name="Allowed"/> is the task's disposition list, loaded beforehand (empty: any).</summary>
    public sealed record SetDisposition(
        Guid CallId,
        Guid AgentId,
        string Disposition,
        string? Note,
        ValueList<string> Allowed,
        DateTimeOffset Now) : CallCommand;
}
