using Aicc.Domain.Common;

namespace Aicc.Domain.Calls;

/// <summary>
/// Decides call commands. Telephony reports arrive late, twice and out of order, so a report of
/// something the call has already moved past changes nothing; only a contradiction is refused.
/// </summary>
public static partial class CallDecider
{
    public static Call Initial => Call.Initial;

    public static Decider<CallCommand, CallEvent, Call> Definition { get; } = new(Decide, Evolve, Initial);

    public static Call Evolve(Call state, CallEvent @event) => Call.Evolve(state, @event);

    public static IReadOnlyList<CallEvent> Decide(CallCommand command, Call state) => (command, state) switch
    {
        (CallCommand.CreateOutbound c, Call.None) =>
            [new CallEvent.OutboundCreated(c.CallId, c.TenantId, c.TaskId, c.CustomerId, c.Called.E164, c.BusinessData, c.Now)],
        (CallCommand.CreateOutbound c, Call.Existing s)
            when s.Info.Direction == CallDirection.Outbound && s.Info.Called == c.Called.E164 => [],
        (CallCommand.ReceiveInbound c, Call.None) => [ReceiveInbound(c)],
        (CallCommand.ReceiveInbound c, Call.Existing s) when s.Info.Direction == CallDirection.Inbound => [],
        (CallCommand.CreateOutbound or CallCommand.ReceiveInbound, _) => throw new DomainException(
            "call.already_exists", "Another call already has this id."),
        (_, Call.None) => throw new DomainException("call.not_found", "The call does not exist."),

        (CallCommand.HangUp c, Call.Ended) => ValidateHangUp(c, []),
        (CallCommand.StopRecording c, Call.Existing s) => StopRecording(c, s.Info),
        (CallCommand.SetDisposition c, Call.Existing s) => SetDisposition(c, s),
        (CallCommand.WithdrawOffer or CallCommand.ReportRinging, Call.Ended) => [],
        (CallCommand.EndMonitor c, Call.Existing s) => EndMonitor(c, s.Info),
        (CallCommand.StartMonitor c, Call.Existing s) => StartMonitor(c, s),
        (CallCommand.ChangeMonitorMode c, Call.Existing s) => ChangeMonitorMode(c, s.Info),
        (_, Call.Ended) => throw new DomainException("call.ended", "The call has ended."),

        (CallCommand.RecordPrompt c, Call.Existing s) =>
            Turn(s, new CallEvent.PromptPlayed(c.CallId, c.NodeId, c.Text, c.Voice, c.BargeIn, c.Now)),
        (CallCommand.RecordBargeIn c, Call.Existing s) => Turn(s, new CallEvent.PromptInterrupted(c.CallId, c.NodeId, c.Now)),
        (CallCommand.RecordUtterance c, Call.Existing s) => Turn(s, new CallEvent.UtteranceRecognised(
            c.CallId, c.NodeId, c.Text, Math.Clamp(c.Confidence, 0, 1), c.SpeechStartedAt, c.SpeechEndedAt, c.Now)),
        (CallCommand.RecordIntent c, Call.Existing s) => string.IsNullOrWhiteSpace(c.Intent)
            ? throw new DomainException("call.intent_required", "Name the detected intent.")
            : Turn(s, new CallEvent.IntentDetected(c.CallId, c.NodeId, c.Intent.Trim(), Math.Clamp(c.Confidence, 0, 1), c.Now)),
        (CallCommand.RecordVariable c, Call.Existing s) => string.IsNullOrWhiteSpace(c.Name)
            ? throw new DomainException("call.variable_required", "Name the variable.")
            : Turn(s, new CallEvent.VariableSet(c.CallId, c.Name.Trim(), c.Value, c.Now)),
        (CallCommand.RequestTransfer c, Call.Existing s) => RequestTransfer(c, s),
        (CallCommand.FailTransfer c, Call.Existing s) => FailTransfer(c, s),
        (CallCommand.ScheduleCallback c, Call.Existing s) => ScheduleCallback(c, s),
        (CallCommand.Dial c, Call.Existing s) => Dial(c, s),
        (CallCommand.ReportRinging c, Call.Existing s) => ReportRinging(c, s),
        (CallCommand.Answer c, Call.Existing s) => Answer(c, s),
        (CallCommand.ConnectRobot c, Call.Existing s) => ConnectRobot(c, s),
        (CallCommand.Queue c, Call.Existing s) => Queue(c, s),
        (CallCommand.OfferToAgent c, Call.Existing s) => OfferToAgent(c, s),
        (CallCommand.WithdrawOffer c, Call.Offered s) when s.AgentId == c.AgentId =>
            [new CallEvent.OfferWithdrawn(c.CallId, c.AgentId, c.Now)],
        (CallCommand.WithdrawOffer, _) => [],
        (CallCommand.ConnectAgent c, Call.Existing s) => ConnectAgent(c, s),
        (CallCommand.Transfer c, Call.Existing s) => Transfer(c, s),

        (CallCommand.Hold c, Call.WithAgent { OnHold: false }) => [new CallEvent.Held(c.CallId, c.Now)],
        (CallCommand.Hold, Call.WithAgent) => [],
        (CallCommand.Resume c, Call.WithAgent { OnHold: true }) => [new CallEvent.Resumed(c.CallId, c.Now)],
        (CallCommand.Resume, Call.WithAgent) => [],
        (CallCommand.Hold or CallCommand.Resume, _) => throw new DomainException(
            "call.not_with_agent", "Only a call connected to an agent can be held or resumed."),

        (CallCommand.StartRecording c, Call.Existing s) => StartRecording(c, s.Info),
        (CallCommand.ReceiveDtmf c, Call.Existing s) => ReceiveDtmf(c, s.Info),
        (CallCommand.HangUp c, Call.Existing s) => ValidateHangUp(
            c, [new CallEvent.HungUp(c.CallId, c.By, c.Reason, OutcomeOf(s, c.By, c.Reason), c.Now)]),

        _ => throw new DomainException("call.unsupported", $"{command.GetType().Name} is not possible now."),
    };

    /// <summary>
    /// The call's outcome from what happened and how it ended. Answered means a seat talked with the
    /// customer; a customer left on the line with no seat is abandoned (the figure regulators cap).
    /// </summary>
    public static CallOutcome OutcomeOf(Call.Existing state, HangUpParty by, CloseReason reason)
    {
        var timeline = state.Info.Timeline;
        if (timeline.CustomerAnswered || timeline.ConnectedAt is not null)
        {
            return timeline.ConnectedAt is null ? CallOutcome.Abandoned : CallOutcome.Answered;
        }

        var outbound = state.Info.Direction == CallDirection.Outbound;
        return reason switch
        {
            CloseReason.ABusy or CloseReason.BBusy => CallOutcome.Busy,
            CloseReason.MaxDuration => CallOutcome.NoAnswer,
            CloseReason.Normal => (outbound, by) switch
            {
                // An outbound callee who rejects the call is as good as busy for redialing.
                (true, HangUpParty.Customer) => CallOutcome.Busy,
                (true, HangUpParty.Seat) => CallOutcome.Cancelled,
                (true, _) => state is Call.Created ? CallOutcome.Cancelled : CallOutcome.NoAnswer,
                (false, HangUpParty.Customer) => CallOutcome.Cancelled,
                (false, _) => CallOutcome.Failed,
            },
            _ => CallOutcome.Failed,
        };
    }

    private static CallEvent ReceiveInbound(CallCommand.ReceiveInbound c)
    {
        if (string.IsNullOrWhiteSpace(c.Called))
        {
            throw new DomainException("call.called_required", "An inbound call names the number that was called.");
        }

        var caller = string.IsNullOrWhiteSpace(c.Caller) ? "anonymous" : c.Caller.Trim();
        return new CallEvent.InboundArrived(c.CallId, c.TenantId, c.LineId, caller, c.Called.Trim(), c.Now);
    }

    private static IReadOnlyList<CallEvent> Dial(CallCommand.Dial c, Call.Existing s)
    {
        RequireOutbound(s);
        if (c.Attempt < 1)
        {
            throw new DomainException("call.invalid_attempt", "Attempts are numbered from 1.");
        }

        return s switch
        {
            Call.Created => [new CallEvent.DialingStarted(c.CallId, c.Attempt, c.LineId, c.CallerId.E164, c.Now)],
            _ when s.Info.Attempt == c.Attempt && s.Info.LineId == c.LineId => [],
            _ => throw new DomainException("call.already_dialed", "This call was already dialed as another attempt or line."),
        };
    }

    private static IReadOnlyList<CallEvent> ReportRinging(CallCommand.ReportRinging c, Call.Existing s)
    {
        RequireOutbound(s);
        return s switch
        {
            Call.Dialing => [new CallEvent.RingingStarted(c.CallId, c.Now)],
            Call.Created => throw NotDialing(),
            _ => [],
        };
    }

    private static IReadOnlyList<CallEvent> Answer(CallCommand.Answer c, Call.Existing s) => s switch
    {
        _ when s.Info.Timeline.CustomerAnswered => [],
        Call.Dialing or Call.Ringing => [new CallEvent.Answered(c.CallId, c.Now)],
        Call.Created when s.Info.Direction == CallDirection.Inbound => [new CallEvent.Answered(c.CallId, c.Now)],
        Call.Created => throw NotDialing(),
        _ => [new CallEvent.Answered(c.CallId, c.Now)],
    };

    private static IReadOnlyList<CallEvent> ConnectRobot(CallCommand.ConnectRobot c, Call.Existing s)
    {
        if (c.RobotId == Guid.Empty || c.Script.Version < 1)
        {
            throw new DomainException("call.invalid_robot", "A robot and its script version are required.");
        }

        CallEvent connected = new CallEvent.ConnectedToRobot(c.CallId, c.RobotId, c.Script, c.Now);
        return s switch
        {
            Call.WithRobot when s.Info.RobotId == c.RobotId => [],
            Call.WithRobot or Call.Queued or Call.Offered or Call.WithAgent => throw AlreadyWithSeat(),
            Call.Answered => [connected],
            _ => AnswerInboundFirst(c.CallId, c.Now, s, connected),
        };
    }

    private static IReadOnlyList<CallEvent> Queue(CallCommand.Queue c, Call.Existing s)
    {
        if (string.IsNullOrWhiteSpace(c.SkillGroup))
        {
            throw new DomainException("call.skill_group_required", "Name the skill group to queue for.");
        }

        var group = c.SkillGroup.Trim();
        return s switch
        {
            Call.Queued q when q.SkillGroup == group => [],
            Call.Answered => [new CallEvent.Queued(c.CallId, group, c.Now)],
            Call.Created when s.Info.Direction == CallDirection.Inbound => [new CallEvent.Queued(c.CallId, group, c.Now)],
            Call.WithRobot or Call.WithAgent => throw new DomainException(
                "call.already_with_seat", "A seat has the call; transfer it instead."),
            Call.Queued or Call.Offered => throw new DomainException("call.already_queued", "The call is already queued."),
            _ => throw NotAnswered(),
        };
    }

    private static IReadOnlyList<CallEvent> OfferToAgent(CallCommand.OfferToAgent c, Call.Existing s) => s switch
    {
        Call.Offered o when o.AgentId == c.AgentId => [],
        Call.WithAgent when s.Info.AgentId == c.AgentId => [],
        Call.Offered => throw new DomainException("call.already_offered", "The call is being offered to another agent."),
        Call.Queued or Call.Answered => [new CallEvent.OfferedToAgent(c.CallId, c.AgentId, c.Now)],
        _ when s.Info.SeatWaiting && s.Info.AgentId == c.AgentId => [],
        Call.Created when !s.Info.SeatWaiting => [new CallEvent.OfferedToAgent(c.CallId, c.AgentId, c.Now)],
        Call.WithRobot or Call.WithAgent => throw AlreadyWithSeat(),
        _ when s.Info.SeatWaiting => throw AlreadyWithSeat(),
        _ => throw NotAnswered(),
    };

    private static IReadOnlyList<CallEvent> ConnectAgent(CallCommand.ConnectAgent c, Call.Existing s) => s switch
    {
        Call.WithAgent when s.Info.AgentId == c.AgentId => [],
        Call.Offered o when o.AgentId == c.AgentId && s.Info.Direction == CallDirection.Outbound =>
            [new CallEvent.ConnectedToAgent(c.CallId, c.AgentId, c.Now)],
        Call.Offered o when o.AgentId == c.AgentId =>
            AnswerInboundFirst(c.CallId, c.Now, s, new CallEvent.ConnectedToAgent(c.CallId, c.AgentId, c.Now)),
        _ when s.Info.SeatWaiting && s.Info.AgentId == c.AgentId => [],
        _ => throw new DomainException("call.not_offered", "The call is not being offered to this agent."),
    };

    /// <summary>An inbound call taken straight by a seat is answered at that moment; both steps are recorded.</summary>
    private static IReadOnlyList<CallEvent> AnswerInboundFirst(Guid callId, DateTimeOffset now, Call.Existing s, CallEvent next) =>
        s.Info.Timeline.CustomerAnswered ? [next]
        : s.Info.Direction == CallDirection.Inbound ? [new CallEvent.Answered(callId, now), next]
        : throw NotAnswered();

    private static IReadOnlyList<CallEvent> Transfer(CallCommand.Transfer c, Call.Existing s)
    {
        var target = c.To switch
        {
            TransferTarget.ToSkillGroup g when !string.IsNullOrWhiteSpace(g.SkillGroup) =>
                (TransferTarget)new TransferTarget.ToSkillGroup(g.SkillGroup.Trim()),
            TransferTarget.ToAgent a when a.AgentId != Guid.Empty => a,
            _ => throw new DomainException("call.invalid_transfer", "A transfer names a skill group or an agent."),
        };
        var reason = string.IsNullOrWhiteSpace(c.Reason) ? "transfer" : c.Reason.Trim();
        return (s, target) switch
        {
            (Call.Queued q, TransferTarget.ToSkillGroup g) when q.SkillGroup == g.SkillGroup => [],
            (Call.Offered o, TransferTarget.ToAgent a) when o.AgentId == a.AgentId => [],
            (Call.WithAgent, TransferTarget.ToAgent a) when s.Info.AgentId == a.AgentId => throw new DomainException(
                "call.invalid_transfer", "The agent already has the call."),
            (Call.WithRobot or Call.WithAgent, _) => [new CallEvent.Transferred(c.CallId, target, reason, c.Now)],
            _ => throw new DomainException("call.no_seat", "Only a robot or an agent holding the call can transfer it."),
        };
    }

    /// <summary>A robot's turn is recorded only while a robot has (or had, before a hand-over) the call; the same report twice is one turn.</summary>
    private static IReadOnlyList<CallEvent> Turn(Call.Existing s, CallEvent turn)
    {
        if (s.Info.RobotId is null)
        {
            throw NoRobot();
        }

        return Equals(s.Info.LastTurn, turn) ? [] : [turn];
    }

    private static IReadOnlyList<CallEvent> RequestTransfer(CallCommand.RequestTransfer c, Call.Existing s)
    {
        if (s.Info.RobotId is null)
        {
            throw NoRobot();
        }

        if (string.IsNullOrWhiteSpace(c.SkillGroup))
        {
            throw new DomainException("call.invalid_transfer", "A transfer names a skill group.");
        }

        var group = c.SkillGroup.Trim();
        var reason = string.IsNullOrWhiteSpace(c.Reason) ? "transfer" : c.Reason.Trim();
        return s switch
        {
            Call.Queued q when q.SkillGroup == group => [],
            Call.WithRobot =>
            [
                new CallEvent.TransferRequested(c.CallId, group, reason, c.Context, c.Now),
                new CallEvent.Transferred(c.CallId, new TransferTarget.ToSkillGroup(group), reason, c.Now),
            ],
            _ => throw new DomainException("call.no_seat", "Only the robot holding the call can ask for a human."),
        };
    }

    private static IReadOnlyList<CallEvent> FailTransfer(CallCommand.FailTransfer c, Call.Existing s)
    {
        var reason = string.IsNullOrWhiteSpace(c.Reason) ? "no agent" : c.Reason.Trim();
        return s switch
        {
            Call.WithRobot => [],
            Call.Queued q when s.Info.RobotId is not null => [new CallEvent.TransferFailed(c.CallId, q.SkillGroup, reason, c.Now)],
            Call.Offered o when s.Info.RobotId is not null => [new CallEvent.TransferFailed(c.CallId, o.SkillGroup ?? string.Empty, reason, c.Now)],
            _ => throw new DomainException("call.not_queued", "Only a call the robot queued can come back to it."),
        };
    }

    private static IReadOnlyList<CallEvent> ScheduleCallback(CallCommand.ScheduleCallback c, Call.Existing s)
    {
        if (string.IsNullOrWhiteSpace(c.Number))
        {
            throw new DomainException("call.callback_number_required", "A call back needs the number to call.");
        }

        if (c.DueAt <= c.Now)
        {
            throw new DomainException("call.callback_in_past", "A call back is due after now.");
        }

        return s.Info.CallbackDueAt == c.DueAt ? [] : [new CallEvent.CallbackScheduled(c.CallId, c.Number.Trim(), c.DueAt, c.Now)];
    }

    private static IReadOnlyList<CallEvent> StartRecording(CallCommand.StartRecording c, CallInfo info)
    {
        if (!info.Timeline.CustomerAnswered)
        {
            throw NotAnswered();
        }

        var active = info.Recordings.FirstOrDefault(r => r.IsActive);
        return active switch
        {
            _ when info.Recordings.Any(r => r.RecordingId == c.RecordingId) => [],
            not null => throw new DomainException("call.already_recording", "Another recording is running."),
            null => [new CallEvent.RecordingStarted(c.CallId, c.RecordingId, c.Now)],
        };
    }

    /// <summary>Allowed after hang-up too: the stored file's location is known only once it is written.</summary>
    private static IReadOnlyList<CallEvent> StopRecording(CallCommand.StopRecording c, CallInfo info)
    {
        var recording = info.Recordings.FirstOrDefault(r => r.RecordingId == c.RecordingId)
            ?? throw new DomainException("call.unknown_recording", "The call has no recording with this id.");
        return recording.IsActive
            ? [new CallEvent.RecordingStopped(c.CallId, c.RecordingId, c.Location, c.Now)]
            : [];
    }

    private static IReadOnlyList<CallEvent> ReceiveDtmf(CallCommand.ReceiveDtmf c, CallInfo info)
    {
        if (!info.Timeline.CustomerAnswered)
        {
            throw NotAnswered();
        }

        if (c.Sequence < 1 || string.IsNullOrEmpty(c.Digits) || !c.Digits.All(IsDtmfSymbol))
        {
            throw new DomainException(
                "call.invalid_dtmf", "DTMF is a numbered (from 1) run of 0-9, *, # and A-D.");
        }

        return c.Sequence <= info.LastDtmfSequence ? [] : [new CallEvent.DtmfReceived(c.CallId, c.Sequence, c.Digits, c.Now)];
    }

    private static IReadOnlyList<CallEvent> ValidateHangUp(CallCommand.HangUp c, IReadOnlyList<CallEvent> events) =>
        Enum.IsDefined(c.By) && Enum.IsDefined(c.Reason)
            ? events
            : throw new DomainException("call.invalid_hang_up", "Unknown party or close reason.");

    private static IReadOnlyList<CallEvent> SetDisposition(CallCommand.SetDisposition c, Call.Existing s)
    {
        if (s is not (Call.WithAgent or Call.Ended) || s.Info.AgentId != c.AgentId)
        {
            throw new DomainException(
                "call.not_handled_by_agent", "Only the agent who took the call sets its disposition, during or after it.");
        }

        if (string.IsNullOrWhiteSpace(c.Disposition))
        {
            throw new DomainException("call.disposition_required", "Name the disposition.");
        }

        var disposition = c.Disposition.Trim();
        if (c.Allowed.Count > 0 && !c.Allowed.Contains(disposition))
        {
            throw new DomainException(
                "call.unknown_disposition", $"'{disposition}' is not one of the task's dispositions.");
        }

        var note = string.IsNullOrWhiteSpace(c.Note) ? null : c.Note.Trim();
        return s.Info.Disposition is { } current && current.Disposition == disposition && current.Note == note
            ? []
            : [new CallEvent.DispositionSet(c.CallId, c.AgentId, disposition, note, c.Now)];
    }

    private static bool IsDtmfSymbol(char symbol) => symbol is (>= '0' and <= '9') or '*' or '#' or (>= 'A' and <= 'D');

    private static void RequireOutbound(Call.Existing s)
    {
        if (s.Info.Direction != CallDirection.Outbound)
        {
            throw new DomainException("call.not_outbound", "Only outbound calls are dialed.");
        }
    }

    private static DomainException NoRobot() => new("call.no_robot", "No robot has taken this call.");

    private static DomainException NotDialing() => new("call.not_dialing", "The call has not been dialed.");

    private static DomainException NotAnswered() => new("call.not_answered", "The customer has not answered.");

    private static DomainException AlreadyWithSeat() =>
        new("call.already_with_seat", "Another seat has or is being offered the call.");
}
