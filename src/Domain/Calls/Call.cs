using Aicc.Domain.Common;
using Aicc.Domain.Robots;

namespace Aicc.Domain.Calls;

/// <summary>
/// One call (seed 000's 呼叫: created, ringing, answered, completed), inbound or outbound, from
/// creation to the agent's disposition. Seed 001's call record is a projection of this stream.
/// </summary>
public abstract record Call
{
    private Call()
    {
    }

    public sealed record None : Call;

    /// <summary>Any call that exists; <see cref="Info"/> accumulates what every later step needs.</summary>
    public abstract record Existing(CallInfo Info) : Call;

    /// <summary>
    /// Outbound: not dialed yet (in a click-to-call callback the agent may already be on the line,
    /// see <see cref="CallInfo.SeatWaiting"/>). Inbound: the customer waits for the platform to pick up.
    /// </summary>
    public sealed record Created(CallInfo Info) : Existing(Info);

    public sealed record Dialing(CallInfo Info) : Existing(Info);

    public sealed record Ringing(CallInfo Info) : Existing(Info);

    /// <summary>The customer is on the line and no seat has the call yet.</summary>
    public sealed record Answered(CallInfo Info) : Existing(Info);

    public sealed record WithRobot(CallInfo Info) : Existing(Info);

    public sealed record Queued(CallInfo Info, string SkillGroup, DateTimeOffset Since) : Existing(Info);

    /// <summary><paramref name="SkillGroup"/> is the queue the offer came from, where a withdrawn offer returns.</summary>
    public sealed record Offered(CallInfo Info, Guid AgentId, string? SkillGroup, DateTimeOffset Since) : Existing(Info);

    public sealed record WithAgent(CallInfo Info, bool OnHold) : Existing(Info);

    public sealed record Ended(CallInfo Info, HangUpParty By, CloseReason Reason, CallOutcome Outcome) : Existing(Info);

    public static Call Initial { get; } = new None();

    public static Call Evolve(Call state, CallEvent @event) => (state, @event) switch
    {
        (None, CallEvent.OutboundCreated e) => new Created(new CallInfo(
            e.CallId, e.TenantId, CallDirection.Outbound, null, e.Called, e.TaskId, e.CustomerId, null, 0,
            e.BusinessData, new CallTimeline(e.CreatedAt))),
        (None, CallEvent.InboundArrived e) => new Created(new CallInfo(
            e.CallId, e.TenantId, CallDirection.Inbound, e.Caller, e.Called, null, null, e.LineId, 0,
            ValueMap.Empty, new CallTimeline(e.ArrivedAt, CustomerCalledAt: e.ArrivedAt))),

        (Created s, CallEvent.DialingStarted e) => new Dialing(s.Info with
        {
            Attempt = e.Attempt,
            LineId = e.LineId,
            Caller = e.CallerId,
            Timeline = s.Info.Timeline with { CustomerCalledAt = e.DialingAt },
        }),
        (Dialing s, CallEvent.RingingStarted e) => new Ringing(Timed(s, t => t with { CustomerRingingAt = e.RingingAt })),
        (Created or Dialing or Ringing, CallEvent.Answered e) when ((Existing)state).Info.SeatWaiting =>
            new WithAgent(Timed((Existing)state, t => t with { CustomerAnsweredAt = e.AnsweredAt, ConnectedAt = e.AnsweredAt }), false),
        (Created or Dialing or Ringing, CallEvent.Answered e) =>
            new Answered(Timed((Existing)state, t => t with { CustomerAnsweredAt = e.AnsweredAt })),
        (Existing s, CallEvent.Answered e) => s with { Info = Timed(s, t => t with { CustomerAnsweredAt = e.AnsweredAt }) },

        (Existing s, CallEvent.ConnectedToRobot e) => new WithRobot(Timed(s, t => t with
        {
            SeatCalledAt = t.SeatCalledAt ?? e.ConnectedAt,
            SeatAnsweredAt = t.SeatAnsweredAt ?? e.ConnectedAt,
            ConnectedAt = t.ConnectedAt ?? e.ConnectedAt,
        }) with { RobotId = e.RobotId, Script = e.Script }),
        (Existing s, CallEvent.Queued e) => new Queued(s.Info, e.SkillGroup, e.QueuedAt),
        (Existing s, CallEvent.OfferedToAgent e) => new Offered(
            Timed(s, t => t with { SeatCalledAt = t.SeatCalledAt ?? e.OfferedAt }),
            e.AgentId,
            (s as Queued)?.SkillGroup,
            e.OfferedAt),
        (Offered s, CallEvent.OfferWithdrawn e) => s.SkillGroup is { } group
            ? new Queued(s.Info, group, e.WithdrawnAt)
            : s.Info.Timeline.CustomerAnswered ? new Answered(s.Info) : new Created(s.Info),
        (Existing s, CallEvent.ConnectedToAgent e) when !s.Info.Timeline.CustomerAnswered => new Created(Timed(s, t => t with
        {
            SeatAnsweredAt = t.SeatAnsweredAt ?? e.ConnectedAt,
            AgentConnectedAt = t.AgentConnectedAt ?? e.ConnectedAt,
        }) with { AgentId = e.AgentId }),
        (Existing s, CallEvent.ConnectedToAgent e) => new WithAgent(Timed(s, t => t with
        {
            SeatAnsweredAt = t.SeatAnsweredAt ?? e.ConnectedAt,
            ConnectedAt = t.ConnectedAt ?? e.ConnectedAt,
            AgentConnectedAt = t.AgentConnectedAt ?? e.ConnectedAt,
        }) with { AgentId = e.AgentId }, false),
        (Existing s, CallEvent.Transferred e) => e.To switch
        {
            TransferTarget.ToSkillGroup g => new Queued(s.Info, g.SkillGroup, e.TransferredAt),
            TransferTarget.ToAgent a => new Offered(s.Info, a.AgentId, null, e.TransferredAt),
            _ => state,
        },
        (WithAgent s, CallEvent.Held) => s with { OnHold = true },
        (WithAgent s, CallEvent.Resumed) => s with { OnHold = false },
        (Existing s, CallEvent.MonitorStarted e) => s with { Info = s.Info with { Monitor = new CallMonitor(e.SupervisorId, e.Mode, e.StartedAt) } },
        (Existing { Info.Monitor: { } m } s, CallEvent.MonitorModeChanged e) => s with { Info = s.Info with { Monitor = m with { Mode = e.Mode } } },
        (Existing s, CallEvent.MonitorEnded) => s with { Info = s.Info with { Monitor = null } },

        (Existing s, CallEvent.RecordingStarted e) => s with
        {
            Info = s.Info with { Recordings = s.Info.Recordings.Add(new CallRecording(e.RecordingId, e.StartedAt, null, null)) },
        },
        (Existing s, CallEvent.RecordingStopped e) => s with
        {
            Info = s.Info with
            {
                Recordings = s.Info.Recordings
                    .Select(r => r.RecordingId == e.RecordingId ? r with { StoppedAt = e.StoppedAt, Location = e.Location } : r)
                    .ToValueList(),
            },
        },
        (Existing s, CallEvent.DtmfReceived e) => s with
        {
            Info = s.Info with { LastDtmfSequence = e.Sequence, Digits = s.Info.Digits + e.Digits },
        },
        (Existing s, CallEvent.PromptPlayed or CallEvent.PromptInterrupted or CallEvent.UtteranceRecognised
            or CallEvent.IntentDetected or CallEvent.VariableSet or CallEvent.TransferRequested) =>
            s with { Info = s.Info with { LastTurn = @event } },
        (Queued or Offered, CallEvent.TransferFailed e) when ((Existing)state).Info.RobotId is not null =>
            new WithRobot(((Existing)state).Info with { LastTurn = e }),
        (Existing s, CallEvent.CallbackScheduled e) => s with { Info = s.Info with { LastTurn = e, CallbackDueAt = e.DueAt } },
        (Existing s, CallEvent.HungUp e) => new Ended(
            Timed(s, t => t with { ClosedAt = e.HungUpAt }), e.By, e.Reason, e.Outcome),
        (Existing s, CallEvent.DispositionSet e) => s with
        {
            Info = s.Info with { Disposition = new CallDisposition(e.AgentId, e.Disposition, e.Note, e.SetAt) },
        },
        _ => state,
    };

    private static CallInfo Timed(Existing state, Func<CallTimeline, CallTimeline> change) =>
        state.Info with { Timeline = change(state.Info.Timeline) };
}

/// <summary>
/// What a call knows about itself across states: parties, task and customer, line and attempt,
/// seats, recordings, keys pressed and the disposition. Numbers are E.164 where the platform chose
/// them; an inbound caller is kept as presented (it may be withheld or malformed).
/// </summary>
public sealed record CallInfo(
    Guid CallId,
    Guid TenantId,
    CallDirection Direction,
    string? Caller,
    string Called,
    Guid? TaskId,
    Guid? CustomerId,
    Guid? LineId,
    int Attempt,
    ValueMap BusinessData,
    CallTimeline Timeline)
{
    /// <summary>The robot that took the call, if any (it stays named after a hand-over, for the record).</summary>
    public Guid? RobotId { get; init; }

    public ScriptVersion? Script { get; init; }

    /// <summary>The agent connected now, or last connected.</summary>
    public Guid? AgentId { get; init; }

    public ValueList<CallRecording> Recordings { get; init; } = ValueList<CallRecording>.Empty;

    public int LastDtmfSequence { get; init; }

    /// <summary>Every key pressed, in order (what the robot or IVR collected).</summary>
    public string Digits { get; init; } = "";

    public CallDisposition? Disposition { get; init; }

    /// <summary>The supervisor listening in, whispering or barged in now (ADR 0018).</summary>
    public CallMonitor? Monitor { get; init; }

    /// <summary>The robot's last recorded turn, so a repeated report of it changes nothing.</summary>
    public CallEvent? LastTurn { get; init; }

    /// <summary>When the caller is to be called back, once the robot scheduled it.</summary>
    public DateTimeOffset? CallbackDueAt { get; init; }

    /// <summary>
    /// Seed 001's callback: the agent's leg is called and answered first, then the customer is
    /// dialed; the two are connected the moment the customer answers.
    /// </summary>
    public bool SeatWaiting => AgentId is not null && Timeline.SeatAnsweredAt is not null && Timeline.ConnectedAt is null;

    /// <summary>Seed 001's state column: init until both sides are connected, conn while they are, close after.</summary>
    public string RecordState(bool ended) => ended ? "close" : Timeline.ConnectedAt is null ? "init" : "conn";
}
