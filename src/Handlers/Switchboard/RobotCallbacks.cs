using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.Compliance;
using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Robots;
using Aicc.Domain.Tasks;
using Aicc.Domain.Tenants;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Dialing;
using Aicc.Handlers.Messaging.Scheduling;
using Aicc.Handlers.Security;
using Aicc.Telephony.CallControl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using LegEvent = Aicc.Telephony.CallControl.CallEvent;

namespace Aicc.Handlers.Switchboard;

/// <summary>
/// Places the call backs robots promised (<see cref="RobotSessions.CallbackMessageType"/>, ADR
/// 0012): when the message is due, a new outbound call to the customer leaves through the
/// robot's line (the task's line for a task call, the robot's inbound number's line otherwise)
/// with the line's trunk credentials, and once answered the same robot takes it; a robot that is
/// full or gone passes it to the task's skill group queue when the task names one. The call's
/// id is derived from the call that promised it, so a message run twice finds its call there
/// and does not dial again. The call-back owns its stream: it closes it when the leg hangs up.
/// </summary>
public sealed class RobotCallbacks(
    CallEventHub hub,
    PostgresEventStore store,
    RobotSessions robots,
    RobotSeats seats,
    IAgentQueue? agentQueue = null,
    LineSecrets? secrets = null,
    TimeProvider? time = null,
    ILogger<RobotCallbacks>? logger = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<Guid, Task> _calls = new();

    /// <summary>How long a call back waits for a channel of a full line before it is tried again.</summary>
    public static readonly TimeSpan LineFullRetry = TimeSpan.FromSeconds(30);

    private const string CallbackSavepoint = "robot_callback";

    /// <summary>Call backs being carried now.</summary>
    public int ActiveCalls => _calls.Count;

    /// <summary>The id of the call back that <paramref name="promisedOn"/> promised: one call per promise.</summary>
    public static Guid CallbackCallId(Guid promisedOn)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"aicc.robot-callback/{promisedOn}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>Waits for every call back in hand (shutdown, tests).</summary>
    public Task DrainAsync() => Task.WhenAll(_calls.Values);

    /// <summary>
    /// Records the call back (created and dialing) in the scheduler's transaction and sends its
    /// INVITE; the conversation runs on after the message is done. Nothing is dialed when the
    /// robot has no line to call from or no caller ID to present (logged: the promise cannot be kept).
    /// </summary>
    public async Task PlaceAsync(ScheduledMessageContext context, RobotCallback callback, CancellationToken cancellationToken)
    {
        var tenant = context.Message.Tenant;
        var (robotState, _) = await CommandRunner.LoadAsync(store, Deciders.Robot, tenant, Deciders.Robot.StreamId(callback.RobotId), cancellationToken);
        var robot = robotState as Robot.Active;
        TaskSetup? setup = null;
        if (callback.TaskId is { } taskId)
        {
            var (task, _) = await CommandRunner.LoadAsync(store, Deciders.Task, tenant, Deciders.Task.StreamId(taskId), cancellationToken);
            setup = (task as CallTask.Existing)?.Setup;
        }

        if ((setup?.LineId ?? robot?.Inbound?.LineId) is not { } lineId)
        {
            _logger.LogWarning("Call back promised on call {CallId}: robot {RobotId} has no line to call from; not placed", callback.CallId, callback.RobotId);
            return;
        }

        var (lineState, _) = await CommandRunner.LoadAsync(store, Deciders.Line, tenant, Deciders.Line.StreamId(lineId), cancellationToken);
        var (tenantState, _) = await CommandRunner.LoadAsync(store, Deciders.Tenant, tenant, Deciders.Tenant.StreamId(callback.TenantId), cancellationToken);
        if (lineState is not Line.Active line || tenantState is Tenant.Suspended)
        {
            _logger.LogWarning("Call back promised on call {CallId}: line {LineId} is not active or the tenant is suspended; not placed", callback.CallId, lineId);
            return;
        }

        // The customer knows the number the robot answered on; a task's robot presents its line's rule.
        var callerId = robot?.Inbound is { } inbound && PhoneNumber.TryParse(inbound.Number, out var own, out _) ? own
            : line.Config.CallerId is { Mode: CallerIdMode.Fixed, FixedNumber: { } fixedNumber } ? fixedNumber
            : (tenantState as Tenant.Active)?.Settings.DefaultCallerId;
        var trunk = await TaskDialerSettings.ResolveAsync(line.Config.Address, cancellationToken);
        if (callerId is null || trunk is null || !PhoneNumber.TryParse(callback.Number, out var customer, out _))
        {
            _logger.LogWarning("Call back promised on call {CallId}: no caller ID, trunk address or valid customer number; not placed", callback.CallId);
            return;
        }

        // The customer asked for this call, but a listing made since (the customer's own
        // do-not-call, an operator's blacklist) still wins.
        var (lists, _) = await CommandRunner.LoadAsync(store, Deciders.DialLists, tenant, Deciders.DialLists.StreamId(callback.TenantId), cancellationToken);
        if (lists.Contains(DialListKind.DoNotCall, customer.E164) || lists.Contains(DialListKind.Blacklist, customer.E164))
        {
            _logger.LogInformation("Call back promised on call {CallId}: {Number} is on the do-not-call list or blacklist since; not placed", callback.CallId, customer.E164);
            return;
        }

        var callId = CallbackCallId(callback.CallId);
        var stream = Deciders.Call.StreamId(callId);
        var metadata = new EventMetadata(CorrelationId: callback.CallId.ToString(), CausationId: context.Message.Id.ToString(), User: "robot-callback");
        var session = store.OpenSession(context.Connection, context.Transaction);
        await context.Transaction.SaveAsync(CallbackSavepoint, cancellationToken);
        var created = await CommandRunner.RunAsync(session, store, Deciders.Call, tenant, stream,
            new CallCommand.CreateOutbound(callId, callback.TenantId, callback.TaskId, null, customer, ValueMap.Empty, context.Now), metadata, cancellationToken);
        if (created.Events.Count == 0)
        {
            _logger.LogInformation("Call back {CallId} was placed already", callId);
            return;
        }

        await CommandRunner.RunAsync(session, store, Deciders.Call, tenant, stream,
            new CallCommand.Dial(callId, 1, lineId, callerId, context.Now), metadata, cancellationToken);
        // The call back takes a channel of the tenant's line like any task call, in the same
        // transaction, so the line's cap holds; a full line keeps the promise for a later try.
        try
        {
            await CommandRunner.RunFromAsync(session, store, Deciders.Line, tenant, Deciders.Line.StreamId(lineId), Line.Initial, 0,
                new LineCommand.SeizeChannel(lineId, callId, context.Now), metadata, cancellationToken);
        }
        catch (Domain.DomainException e)
        {
            await session.Transaction.RollbackAsync(CallbackSavepoint, cancellationToken);
            await MessageScheduler.ScheduleAsync(context.Connection, context.Transaction,
                new ScheduledMessageRequest(tenant, RobotSessions.CallbackMessageType, context.Message.PayloadJson, context.Now + LineFullRetry,
                    $"robot-callback-{callback.CallId}-after-{context.Message.Id}"), cancellationToken);
            _logger.LogInformation("Call back {CallId}: line {LineId} gave no channel ({Code}); tried again at {At}", callId, lineId, e.Code, context.Now + LineFullRetry);
            return;
        }

        var opened = secrets is null ? null : await secrets.LoadAsync(callback.TenantId, lineId, cancellationToken);
        var inbox = Channel.CreateUnbounded<LegEvent>(new UnboundedChannelOptions { SingleReader = true });
        var leg = await hub.Control.OriginateAsync(
            new OriginateRequest((line.Config.CallerId.DialPrefix ?? string.Empty) + customer.E164, trunk, callerId.E164,
                UseTcp: line.Config.Transport == LineTransport.Tcp,
                Credentials: opened is null ? null : new Telephony.CallControl.TrunkCredentials(opened.Username, opened.Password)),
            cancellationToken);
        var watch = hub.Watch(leg, inbox.Writer);
        var call = new PlacedCallback(callback, callId, tenant, stream, lineId, leg, robot, setup?.Handler switch
        {
            TaskHandler.RobotThenAgent r => r.SkillGroup,
            TaskHandler.AgentGroup a => a.SkillGroup,
            _ => null,
        }, metadata);
        var running = Task.Run(async () =>
        {
            using (watch)
            {
                await CarryAsync(call, inbox.Reader, cancellationToken);
            }
        }, CancellationToken.None);
        _calls[callId] = running;
        _ = running.ContinueWith(_ => _calls.TryRemove(callId, out var _), TaskScheduler.Default);
    }

    /// <summary>Records the leg's ringing, answer and hang-up on the call back's stream and hands the answered call over.</summary>
    private async Task CarryAsync(PlacedCallback call, ChannelReader<LegEvent> inbox, CancellationToken cancellationToken)
    {
        var answered = false;
        Task? conversation = null;
        try
        {
            await foreach (var e in inbox.ReadAllAsync(CancellationToken.None))
            {
                switch (e)
                {
                    case LegEvent.Ringing r:
                        await RecordAsync(call, new CallCommand.ReportRinging(call.CallId, r.At));
                        break;
                    case LegEvent.Answered a:
                        answered = true;
                        await RecordAsync(call, new CallCommand.Answer(call.CallId, a.At));
                        conversation = Task.Run(() => HandOverAsync(call, cancellationToken), CancellationToken.None);
                        break;
                    case LegEvent.Hungup h:
                        var by = h.By == CallEndedBy.Remote ? HangUpParty.Customer : answered ? HangUpParty.Seat : HangUpParty.Platform;
                        await RecordAsync(call, new CallCommand.HangUp(call.CallId, by, (CloseReason)(int)h.Reason, h.At), releaseChannel: true);
                        if (conversation is not null)
                        {
                            await conversation;
                        }

                        return;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Call back {CallId} failed", call.CallId);
            await hub.Control.HangUpAsync(call.Leg, CallCloseReason.ChannelError);

            // Nobody reads the leg's own hang-up any more: record it here, or the call would stay
            // open and keep its line channel for good.
            try
            {
                await RecordAsync(call, new CallCommand.HangUp(call.CallId, HangUpParty.Platform, CloseReason.ChannelError, _time.GetUtcNow()), releaseChannel: true);
            }
            catch (Exception again) when (again is not OperationCanceledException)
            {
                _logger.LogError(again, "Call back {CallId}: its hang-up could not be recorded; the call stays open and holds its channel on line {LineId}", call.CallId, call.LineId);
            }
        }
    }

    private async Task HandOverAsync(PlacedCallback call, CancellationToken cancellationToken)
    {
        try
        {
            if (call.Robot is { } robot && seats.TryTake(robot.RobotId, robot.Capacity))
            {
                try
                {
                    var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["callback_of"] = call.Callback.CallId.ToString() };
                    var outcome = await robots.RunAsync(
                        new RobotAssignment(call.Callback.TenantId, call.CallId, call.Leg, robot.RobotId, robot.Script, robot.Voice, call.Callback.Number, call.Callback.TaskId, variables, call.SkillGroup),
                        cancellationToken);
                    _logger.LogInformation("Call back {CallId} with robot {RobotId}: {Outcome}", call.CallId, robot.RobotId, outcome);
                    return;
                }
                finally
                {
                    seats.Release(robot.RobotId);
                }
            }

            if (call.SkillGroup is { } group && agentQueue is not null)
            {
                var queued = new QueuedCall(call.Callback.TenantId, call.CallId, call.Leg, group, call.Callback.Number, call.Callback.TaskId,
                    new Dictionary<string, string>(), call.Robot is null ? "call back; its robot is gone" : $"call back; robot {call.Robot.Name} at capacity", _time.GetUtcNow());
                if (await agentQueue.ConnectToAgentAsync(queued, robots.Options.QueueTimeout, cancellationToken) == QueueOutcome.TimedOut)
                {
                    await hub.Control.HangUpAsync(call.Leg, CallCloseReason.Normal);
                }

                return;
            }

            _logger.LogWarning("Call back {CallId}: the robot is full or gone and no skill group takes it; hanging up", call.CallId);
            await hub.Control.HangUpAsync(call.Leg, CallCloseReason.Normal);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Call back {CallId} failed in the switchboard", call.CallId);
            await hub.Control.HangUpAsync(call.Leg, CallCloseReason.ChannelError);
        }
    }

    private async Task RecordAsync(PlacedCallback call, CallCommand command, bool releaseChannel = false)
    {
        // The scheduler commits the call's first events just after the INVITE leaves; a leg event
        // that overtakes that commit waits for it rather than being lost.
        for (var attempt = 0; ; attempt++)
        {
            var (state, _) = await CommandRunner.LoadAsync(store, Deciders.Call, call.Tenant, call.Stream, CancellationToken.None);
            if (state is Call.Existing || attempt >= 50)
            {
                break;
            }

            await Task.Delay(100);
        }

        if (!releaseChannel)
        {
            await CommandRunner.RunAsync(store, Deciders.Call, call.Tenant, call.Stream, command, metadata: call.Metadata, cancellationToken: CancellationToken.None);
            return;
        }

        // The hang-up and the channel's release commit together: no ended call keeps a channel.
        await using var connection = await store.DataSource.OpenConnectionAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        var session = store.OpenSession(connection, transaction);
        await CommandRunner.RunAsync(session, store, Deciders.Call, call.Tenant, call.Stream, command, call.Metadata, CancellationToken.None);
        await CommandRunner.RunFromAsync(session, store, Deciders.Line, call.Tenant, Deciders.Line.StreamId(call.LineId), Line.Initial, 0,
            new LineCommand.ReleaseChannel(call.LineId, call.CallId, _time.GetUtcNow()), call.Metadata, CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    private sealed record PlacedCallback(
        RobotCallback Callback, Guid CallId, string Tenant, string Stream, Guid LineId, CallLegId Leg, Robot.Active? Robot, string? SkillGroup, EventMetadata Metadata);
}

/// <summary>Registers the call-back handler in a scheduler worker of a process that carries calls.</summary>
public static class RobotCallbackScheduling
{
    public static ScheduledMessageHandlers AddRobotCallback(this ScheduledMessageHandlers handlers, RobotCallbacks callbacks) =>
        handlers.Add(RobotSessions.CallbackMessageType, async (context, cancellationToken) =>
        {
            var payload = JsonSerializer.Deserialize<RobotCallback>(context.Message.PayloadJson)
                ?? throw new InvalidOperationException($"Empty {RobotSessions.CallbackMessageType} payload.");
            await callbacks.PlaceAsync(context, payload, cancellationToken);
        });
}
