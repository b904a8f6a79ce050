using System.Text.Json;
using System.Threading.Channels;
using Aicc.Domain;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.Compliance;
using Aicc.Domain.Conversation.Dialog;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Messaging.Scheduling;
using Aicc.Handlers.RobotPipeline;
using Aicc.Telephony.CallControl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using LegEvent = Aicc.Telephony.CallControl.CallEvent;

namespace Aicc.Handlers.Switchboard;

/// <summary>Tuning of robot sessions: how long a hand-over waits for an agent, when a call back is due.</summary>
public sealed record RobotSessionOptions
{
    /// <summary>How long a caller the robot handed over waits for an agent before the robot takes them back.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after the conversation a call back the caller accepted is due.</summary>
    public TimeSpan CallbackDelay { get; init; } = TimeSpan.FromHours(2);

    /// <summary>The media pipeline's tuning (VAD, pre-roll).</summary>
    public RobotCallOptions Call { get; init; } = new();
}

/// <summary>A call a robot is to hold: whose, on which answered leg, with which pinned script, voice and customer values.</summary>
/// <param name="Caller">The customer's number (the inbound caller, or the callee the dialer reached): do-not-call and call backs use it.</param>
/// <param name="SkillGroup">Overrides the script's hand-over group (a robot-then-agent task names its own).</param>
public sealed record RobotAssignment(
    Guid TenantId,
    Guid CallId,
    CallLegId Leg,
    Guid RobotId,
    ScriptVersion Script,
    string Voice,
    string Caller,
    Guid? TaskId,
    IReadOnlyDictionary<string, string> Variables,
    string? SkillGroup = null);

/// <summary>How a robot session ended.</summary>
public enum RobotSessionOutcome
{
    /// <summary>The script ended the conversation and the robot hung up.</summary>
    HungUp,

    /// <summary>An agent took the call; the robot left the media path.</summary>
    Transferred,

    /// <summary>The caller hung up first.</summary>
    CallerHungUp,
}

/// <summary>The scheduled message a robot leaves when the caller accepts a call back (type <see cref="RobotSessions.CallbackMessageType"/>).</summary>
public sealed record RobotCallback(Guid TenantId, Guid CallId, Guid RobotId, Guid? TaskId, string Number);

/// <summary>
/// Robot sessions over real call legs. A session owns its leg's media while the robot talks:
/// it runs <see cref="RobotCall"/> on the leg's <see cref="MediaLeg"/>, feeds it the leg's
/// DTMF from the <see cref="CallEventHub"/>, and appends every dialog step the agent or an
/// auditor needs as the call's turn events (prompt, barge-in, utterance, intent, keys,
/// variables, transfer request). On a transfer it asks <see cref="IAgentQueue"/> for an agent
/// and leaves the media path when one answers; when none does, the robot takes the caller back
/// (the script's no-agent node), and a hang-up node with disposition <c>callback</c> leaves a
/// durable call back. A do-not-call node lists the caller's number. The session never closes
/// the call's stream: whoever owns the leg (inbound router, dialer) does that on hang-up.
/// </summary>
public sealed class RobotSessions(
    CallEventHub hub,
    PostgresEventStore store,
    IRobotScripts scripts,
    RobotEngines engines,
    RobotSessionOptions options,
    IAgentQueue? agentQueue = null,
    TimeProvider? time = null,
    ILogger<RobotSessions>? logger = null)
{
    /// <summary>The scheduled message type of a call back the caller accepted.</summary>
    public const string CallbackMessageType = "robot.callback.v1";

    /// <summary>The disposition of a hang-up node that means "the caller wants a call back".</summary>
    public const string CallbackDisposition = "callback";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public RobotSessionOptions Options => options;

    /// <summary>The speech engines robots talk with (the abandoned-call message is spoken with the same voices).</summary>
    public RobotEngines Engines => engines;

    /// <summary>Runs the robot's conversation on <paramref name="assignment"/>'s answered leg to its end.</summary>
    public async Task<RobotSessionOutcome> RunAsync(RobotAssignment assignment, CancellationToken cancellationToken)
    {
        var loaded = await scripts.LoadAsync(assignment.TenantId, assignment.Script, cancellationToken)
            ?? throw new InvalidOperationException($"robot {assignment.RobotId} is pinned to script {assignment.Script.ScriptId} v{assignment.Script.Version}, which does not exist");
        var inbox = Channel.CreateUnbounded<LegEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var watch = hub.Watch(assignment.Leg, inbox.Writer);
        using var callerGone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopPump = new CancellationTokenSource();
        var digits = Channel.CreateUnbounded<char>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var pump = PumpLegAsync(inbox.Reader, digits.Writer, callerGone, stopPump.Token);
        try
        {
            var turns = new TurnRecorder(this, assignment);
            await turns.ConnectAsync(cancellationToken);
            var media = hub.Control.Media(assignment.Leg);
            var robot = new RobotCall(media, loaded.Script, loaded.Intents, engines, options.Call, _time, digits.Reader, _logger);
            var state = await ConverseAsync(robot, turns, r => r.RunAsync(assignment.Variables, assignment.Voice, callerGone.Token));
            while (state.Phase == DialogPhase.Transferring && !callerGone.IsCancellationRequested)
            {
                var transfer = turns.LastTransfer ?? throw new InvalidOperationException("the dialog is transferring without a transfer request");
                var outcome = await WaitForAgentAsync(assignment, transfer, callerGone.Token);
                switch (outcome)
                {
                    case QueueOutcome.Connected:
                        return RobotSessionOutcome.Transferred;
                    case QueueOutcome.CallerHungUp:
                        return RobotSessionOutcome.CallerHungUp;
                }

                var reason = agentQueue is null
                    ? "no call distributor runs on this node"
                    : $"no agent of {transfer.SkillGroup} answered within {options.QueueTimeout.TotalSeconds:0} s";
                await turns.RecordAsync(new CallCommand.FailTransfer(assignment.CallId, reason, _time.GetUtcNow()));
                robot = new RobotCall(media, loaded.Script, loaded.Intents, engines, options.Call, _time, digits.Reader, _logger);
                var from = state;
                state = await ConverseAsync(robot, turns, r => r.ResumeAsync(from, new DialogInput.TransferFailed(reason, _time.GetUtcNow()), callerGone.Token));
            }

            if (callerGone.IsCancellationRequested)
            {
                return RobotSessionOutcome.CallerHungUp;
            }

            // The goodbye was played to the end (RobotCall waits for it); now the robot ends the call.
            await hub.Control.HangUpAsync(assignment.Leg, CallCloseReason.Normal);
            return RobotSessionOutcome.HungUp;
        }
        catch (OperationCanceledException) when (callerGone.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return RobotSessionOutcome.CallerHungUp;
        }
        finally
        {
            await stopPump.CancelAsync();
            await pump;
        }
    }

    private async Task<QueueOutcome> WaitForAgentAsync(RobotAssignment assignment, TransferRequest transfer, CancellationToken callerGone)
    {
        if (agentQueue is null)
        {
            return QueueOutcome.TimedOut;
        }

        var queued = new QueuedCall(
            assignment.TenantId, assignment.CallId, assignment.Leg, transfer.SkillGroup, assignment.Caller, assignment.TaskId,
            transfer.Variables, transfer.Reason, _time.GetUtcNow());
        try
        {
            return await agentQueue.ConnectToAgentAsync(queued, options.QueueTimeout, callerGone);
        }
        catch (OperationCanceledException) when (callerGone.IsCancellationRequested)
        {
            return QueueOutcome.CallerHungUp;
        }
    }

    private async Task<DialogState> ConverseAsync(RobotCall robot, TurnRecorder turns, Func<RobotCall, Task<DialogState>> start)
    {
        var recording = Task.Run(async () =>
        {
            await foreach (var e in robot.Events.ReadAllAsync())
            {
                await turns.RecordAsync(e);
            }
        });
        try
        {
            return await start(robot);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // The caller hung up: the leg's media is gone mid-turn.
            return robot.State;
        }
        finally
        {
            await recording;
        }
    }

    private static async Task PumpLegAsync(ChannelReader<LegEvent> inbox, ChannelWriter<char> digits, CancellationTokenSource callerGone, CancellationToken stop)
    {
        try
        {
            await foreach (var e in inbox.ReadAllAsync(stop))
            {
                switch (e)
                {
                    case LegEvent.DtmfReceived dtmf:
                        digits.TryWrite(dtmf.Digit);
                        break;
                    case LegEvent.Hungup:
                        await callerGone.CancelAsync();
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            digits.TryComplete();
        }
    }

    /// <summary>What the robot asked for when it handed the call over.</summary>
    private sealed record TransferRequest(string SkillGroup, string Reason, IReadOnlyDictionary<string, string> Variables);

    /// <summary>Turns one session's dialog events into the call's turn commands, in order.</summary>
    private sealed class TurnRecorder(RobotSessions sessions, RobotAssignment assignment)
    {
        private readonly string _tenant = Deciders.TenantKey(assignment.TenantId);
        private readonly string _stream = Deciders.Call.StreamId(assignment.CallId);
        private readonly EventMetadata _metadata = new(CorrelationId: assignment.CallId.ToString(), User: $"robot:{assignment.RobotId}");
        private int _dtmfSequence;

        public TransferRequest? LastTransfer { get; private set; }

        public async Task ConnectAsync(CancellationToken cancellationToken)
        {
            var result = await CommandRunner.RunAsync(
                sessions.Store, Deciders.Call, _tenant, _stream,
                new CallCommand.ConnectRobot(assignment.CallId, assignment.RobotId, assignment.Script, sessions.Now),
                metadata: _metadata, cancellationToken: cancellationToken);
            _dtmfSequence = (result.State as Call.Existing)?.Info.LastDtmfSequence ?? 0;
        }

        public async Task RecordAsync(DialogEvent e)
        {
            var callId = assignment.CallId;
            CallCommand? command = e switch
            {
                DialogEvent.PromptRequested { Text.Length: > 0 } p => new CallCommand.RecordPrompt(callId, p.NodeId, p.Text, p.Voice, p.BargeIn, p.At),
                DialogEvent.PlaybackStopped s => new CallCommand.RecordBargeIn(callId, s.NodeId, s.At),
                DialogEvent.CallerSpoke c => new CallCommand.RecordUtterance(
                    callId, c.NodeId, c.Text, c.Confidence, c.SpeechStartedAt ?? c.At, c.SpeechEndedAt ?? c.At, c.At),
                DialogEvent.IntentDetected i => new CallCommand.RecordIntent(callId, i.NodeId, i.Intent, i.Confidence, i.At),
                DialogEvent.DtmfPressed d => new CallCommand.ReceiveDtmf(callId, ++_dtmfSequence, d.Digits, d.At),
                DialogEvent.VariableSet v => new CallCommand.RecordVariable(callId, v.Name, v.Value, v.At),
                DialogEvent.TransferRequested t => Transfer(t),
                _ => null,
            };
            if (command is not null)
            {
                await RecordAsync(command);
            }

            switch (e)
            {
                case DialogEvent.DoNotCallRequested dnc:
                    await ListDoNotCallAsync(dnc);
                    break;
                case DialogEvent.HangupRequested { Disposition: CallbackDisposition } hangup:
                    await ScheduleCallbackAsync(hangup);
                    break;
            }
        }

        public async Task RecordAsync(CallCommand command)
        {
            try
            {
                await CommandRunner.RunAsync(sessions.Store, Deciders.Call, _tenant, _stream, command, metadata: _metadata);
            }
            catch (DomainException refused)
            {
                // A turn reported after the call ended (the caller hung up mid-sentence) is history nobody needs.
                sessions._logger.LogDebug("Call {CallId}: {Command} not recorded: {Reason}", assignment.CallId, command.GetType().Name, refused.Message);
            }
        }

        private CallCommand Transfer(DialogEvent.TransferRequested t)
        {
            var group = assignment.SkillGroup ?? t.SkillGroup;
            var reason = string.IsNullOrWhiteSpace(t.Reason) ? "transfer" : t.Reason;
            LastTransfer = new TransferRequest(group, reason, t.Variables);
            return new CallCommand.RequestTransfer(assignment.CallId, group, reason, new ValueMap(t.Variables), t.At);
        }

        private async Task ListDoNotCallAsync(DialogEvent.DoNotCallRequested dnc)
        {
            var number = assignment.Caller.Trim();
            if (number.Length == 0 || number == "anonymous")
            {
                sessions._logger.LogWarning("Call {CallId}: do-not-call asked, but the caller's number is withheld", assignment.CallId);
                return;
            }

            await CommandRunner.RunAsync(
                sessions.Store, Deciders.DialLists, _tenant, Deciders.DialLists.StreamId(assignment.TenantId),
                new DialListCommand.ListNumber(_tenant, DialListKind.DoNotCall, number, ListingSource.Robot, $"do_not_call intent on call {assignment.CallId}", dnc.At),
                metadata: _metadata);
        }

        private async Task ScheduleCallbackAsync(DialogEvent.HangupRequested hangup)
        {
            var dueAt = hangup.At + sessions.Options.CallbackDelay;
            await using var connection = await sessions.Store.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var session = sessions.Store.OpenSession(connection, transaction);
            try
            {
                await CommandRunner.RunAsync(
                    session, sessions.Store, Deciders.Call, _tenant, _stream,
                    new CallCommand.ScheduleCallback(assignment.CallId, assignment.Caller, dueAt, hangup.At), _metadata);
            }
            catch (DomainException refused)
            {
                sessions._logger.LogWarning("Call {CallId}: call back not scheduled: {Reason}", assignment.CallId, refused.Message);
                return;
            }

            var payload = JsonSerializer.Serialize(new RobotCallback(assignment.TenantId, assignment.CallId, assignment.RobotId, assignment.TaskId, assignment.Caller));
            await MessageScheduler.ScheduleAsync(connection, transaction,
                new ScheduledMessageRequest(_tenant, CallbackMessageType, payload, dueAt, $"robot-callback-{assignment.CallId}"));
            await transaction.CommitAsync();
        }
    }

    private PostgresEventStore Store => store;

    private DateTimeOffset Now => _time.GetUtcNow();
}
