using Aicc.Domain.Common;
using Aicc.Domain.Robots;

namespace Aicc.Domain.Calls;

/// <summary>Every step of one call, inbound or outbound; one stream per call (per dial attempt).</summary>
public abstract record CallEvent
{
    private CallEvent()
    {
    }

    /// <summary>An outbound call exists (for a task's customer or an agent's manual call) before any dialing.</summary>
    public sealed record OutboundCreated(
        Guid CallId,
        Guid TenantId,
        Guid? TaskId,
        Guid? CustomerId,
        string Called,
        ValueMap BusinessData,
        DateTimeOffset CreatedAt) : CallEvent;

    /// <summary>A call reached one of the tenant's numbers; the caller may be withheld.</summary>
    public sealed record InboundArrived(
        Guid CallId,
        Guid TenantId,
        Guid LineId,
        string Caller,
        string Called,
        DateTimeOffset ArrivedAt) : CallEvent;

    /// <summary>Appended before the INVITE leaves, so a crash can never dial the attempt twice unseen.</summary>
    public sealed record DialingStarted(Guid CallId, int Attempt, Guid LineId, string CallerId, DateTimeOffset DialingAt)
        : CallEvent;

    /// <summary>The customer's phone rings (SIP 180/183).</summary>
    public sealed record RingingStarted(Guid CallId, DateTimeOffset RingingAt) : CallEvent;

    /// <summary>The customer's leg is off-hook: they picked up, or the platform picked up their inbound call.</summary>
    public sealed record Answered(Guid CallId, DateTimeOffset AnsweredAt) : CallEvent;

    /// <summary>A robot took the call and runs this exact script version for all of it.</summary>
    public sealed record ConnectedToRobot(Guid CallId, Guid RobotId, ScriptVersion Script, DateTimeOffset ConnectedAt)
        : CallEvent;

    /// <summary>The call waits for the first ready agent of the group.</summary>
    public sealed record Queued(Guid CallId, string SkillGroup, DateTimeOffset QueuedAt) : CallEvent;

    /// <summary>An agent's phone rings with the call (the seat leg is being called).</summary>
    public sealed record OfferedToAgent(Guid CallId, Guid AgentId, DateTimeOffset OfferedAt) : CallEvent;

    /// <summary>The agent did not take the call; it goes back to where it waited.</summary>
    public sealed record OfferWithdrawn(Guid CallId, Guid AgentId, DateTimeOffset WithdrawnAt) : CallEvent;

    /// <summary>The agent answered and is bridged with the customer.</summary>
    public sealed record ConnectedToAgent(Guid CallId, Guid AgentId, DateTimeOffset ConnectedAt) : CallEvent;

    /// <summary>The robot or agent handed the call on; <paramref name="Reason"/> is e.g. the detected intent.</summary>
    public sealed record Transferred(Guid CallId, TransferTarget To, string Reason, DateTimeOffset TransferredAt)
        : CallEvent;

    /// <summary>The customer hears hold music; the agent keeps the call.</summary>
    public sealed record Held(Guid CallId, DateTimeOffset HeldAt) : CallEvent;

    /// <summary>The customer and the agent hear each other again.</summary>
    public sealed record Resumed(Guid CallId, DateTimeOffset ResumedAt) : CallEvent;

    /// <summary>A recording of the call began.</summary>
    public sealed record RecordingStarted(Guid CallId, Guid RecordingId, DateTimeOffset StartedAt) : CallEvent;

    /// <summary><paramref name="Location"/> is where the file was stored (seed 001's audio_url), when known.</summary>
    public sealed record RecordingStopped(Guid CallId, Guid RecordingId, string? Location, DateTimeOffset StoppedAt)
        : CallEvent;

    /// <summary><paramref name="Sequence"/> numbers key presses per call so a repeated report is recognised.</summary>
    public sealed record DtmfReceived(Guid CallId, int Sequence, string Digits, DateTimeOffset ReceivedAt) : CallEvent;

    /// <summary>The call is over: who ended it, seed 001's close reason, and what the call achieved.</summary>
    public sealed record HungUp(
        Guid CallId,
        HangUpParty By,
        CloseReason Reason,
        CallOutcome Outcome,
        DateTimeOffset HungUpAt) : CallEvent;

    /// <summary>The agent recorded the result of the conversation, possibly during wrap-up.</summary>
    public sealed record DispositionSet(Guid CallId, Guid AgentId, string Disposition, string? Note, DateTimeOffset SetAt)
        : CallEvent;
    /// <summary>The robot started a prompt: what it said and with which voice (whether the caller may talk over it).</summary>
    public sealed record PromptPlayed(Guid CallId, string NodeId, string Text, string Voice, bool BargeIn, DateTimeOffset PlayedAt)
        : CallEvent;

    /// <summary>Barge-in: the caller spoke over the prompt, and the robot stopped it.</summary>
    public sealed record PromptInterrupted(Guid CallId, string NodeId, DateTimeOffset InterruptedAt) : CallEvent;

    /// <summary>
    /// The caller's turn as speech recognition heard it: the text, the recogniser's confidence, and
    /// when the speech started and ended (voice activity), so a turn's latency can be audited.
    /// </summary>
    public sealed record UtteranceRecognised(
        Guid CallId,
        string NodeId,
        string Text,
        double Confidence,
        DateTimeOffset SpeechStartedAt,
        DateTimeOffset SpeechEndedAt,
        DateTimeOffset RecognisedAt) : CallEvent;

    /// <summary>The intent the robot took from the caller's words or keys at a node, and how sure it was.</summary>
    public sealed record IntentDetected(Guid CallId, string NodeId, string Intent, double Confidence, DateTimeOffset DetectedAt)
        : CallEvent;

    /// <summary>The robot's script stored a value (a collected answer, a flag) the agent may need.</summary>
    public sealed record VariableSet(Guid CallId, string Name, string Value, DateTimeOffset SetAt) : CallEvent;

    /// <summary>
    /// The robot asked for a human: why, and what the agent should know (the script's variables at
    /// that moment). Followed by <see cref="Transferred"/> to the skill group in the same decision.
    /// </summary>
    public sealed record TransferRequested(Guid CallId, string SkillGroup, string Reason, ValueMap Context, DateTimeOffset RequestedAt)
        : CallEvent;

    /// <summary>No agent took the call in time; the robot has the caller again.</summary>
    public sealed record TransferFailed(Guid CallId, string SkillGroup, string Reason, DateTimeOffset FailedAt) : CallEvent;

    /// <summary>The caller accepted a call back; a durable scheduled message will dial <paramref name="Number"/> at <paramref name="DueAt"/>.</summary>
    public sealed record CallbackScheduled(Guid CallId, string Number, DateTimeOffset DueAt, DateTimeOffset ScheduledAt) : CallEvent;

    /// <summary>A supervisor's phone answered and joined the call's audio in <paramref name="Mode"/> (silent monitor, whisper, barge).</summary>
    public sealed record MonitorStarted(Guid CallId, Guid SupervisorId, MonitorMode Mode, DateTimeOffset StartedAt) : CallEvent;

    /// <summary>The monitoring supervisor switched between listening, whispering to the agent and barging in.</summary>
    public sealed record MonitorModeChanged(Guid CallId, Guid SupervisorId, MonitorMode Mode, DateTimeOffset ChangedAt) : CallEvent;

    /// <summary>The supervisor left the call's audio: they hung up or left, or the call ended or left the agent.</summary>
    public sealed record MonitorEnded(Guid CallId, Guid SupervisorId, string Reason, DateTimeOffset EndedAt) : CallEvent;
}
