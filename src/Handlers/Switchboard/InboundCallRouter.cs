using System.Collections.Concurrent;
using System.Threading.Channels;
using Aicc.Domain.Calls;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Telephony.CallControl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using LegEvent = Aicc.Telephony.CallControl.CallEvent;

namespace Aicc.Handlers.Switchboard;

/// <summary>
/// Takes every new inbound leg from the hub and decides where it goes by the number that was
/// called (ADR 0012): the inbound numbers table names the tenant, the robot and the line. An
/// unknown number is refused with 404 and leaves no call stream. A known one becomes a call
/// stream (<see cref="CallCommand.ReceiveInbound"/>) and goes to the robot; when the robot is
/// at capacity, to the number's overflow skill group through <see cref="IAgentQueue"/>, or is
/// refused busy (486) when there is none. The router owns the call's stream: it closes it
/// when the leg hangs up, whoever held the call by then.
/// </summary>
public sealed class InboundCallRouter(
    CallEventHub hub,
    PostgresEventStore store,
    RobotSessions robots,
    RobotSeats seats,
    IAgentQueue? agentQueue = null,
    TimeProvider? time = null,
    ILogger<InboundCallRouter>? logger = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<CallLegId, Task> _calls = new();

    /// <summary>Inbound calls being carried now.</summary>
    public int ActiveCalls => _calls.Count;

    /// <summary>Routes inbound calls until <paramref name="cancellationToken"/> fires, then waits for the calls in hand.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var incoming in hub.Incoming.ReadAllAsync(cancellationToken))
            {
                var call = Task.Run(() => HandleAsync(incoming, cancellationToken), CancellationToken.None);
                _calls[incoming.Leg] = call;
                _ = call.ContinueWith(_ => _calls.TryRemove(incoming.Leg, out var _), TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(_calls.Values);
    }

    /// <summary>Carries one inbound call from its INVITE to the close of its stream.</summary>
    public async Task HandleAsync(LegEvent.Incoming incoming, CancellationToken cancellationToken)
    {
        var control = hub.Control;
        try
        {
            var route = await InboundNumbers.FindAsync(store.DataSource, incoming.Called, cancellationToken);
            var robot = route is null ? null : await LoadRobotAsync(route, cancellationToken);
            if (route is null || robot is null)
            {
                _logger.LogInformation("Inbound call to {Called} from {Caller}: no such number, refused 404", incoming.Called, incoming.Caller);
                await control.RejectAsync(incoming.Leg, RejectCause.NotFound);
                return;
            }

            await CarryAsync(incoming, route, robot, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Inbound call {Leg} to {Called} failed", incoming.Leg, incoming.Called);
            await control.HangUpAsync(incoming.Leg, CallCloseReason.ChannelError);
        }
    }

    private async Task CarryAsync(LegEvent.Incoming incoming, InboundNumbers.Route route, Robot.Active robot, CancellationToken cancellationToken)
    {
        var control = hub.Control;
        var callId = Guid.CreateVersion7();
        var tenant = Deciders.TenantKey(route.TenantId);
        var stream = Deciders.Call.StreamId(callId);
        var metadata = new EventMetadata(CorrelationId: callId.ToString(), User: "inbound-router");
        var inbox = Channel.CreateUnbounded<LegEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var watch = hub.Watch(incoming.Leg, inbox.Writer);
        await CommandRunner.RunAsync(store, Deciders.Call, tenant, stream,
            new CallCommand.ReceiveInbound(callId, route.TenantId, route.LineId, incoming.Caller, incoming.Called, _time.GetUtcNow()),
            metadata: metadata, cancellationToken: cancellationToken);
        var refusedBusy = false;
        var closing = CloseOnHangUpAsync(inbox.Reader, tenant, stream, callId, () => refusedBusy, metadata, cancellationToken);

        if (seats.TryTake(robot.RobotId, robot.Capacity))
        {
            try
            {
                await control.AnswerAsync(incoming.Leg, cancellationToken);
                var variables = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["caller"] = incoming.Caller,
                    ["called"] = incoming.Called,
                    ["name"] = incoming.CallerName ?? string.Empty,
                };
                var outcome = await robots.RunAsync(
                    new RobotAssignment(route.TenantId, callId, incoming.Leg, robot.RobotId, robot.Script, robot.Voice, incoming.Caller, null, variables),
                    cancellationToken);
                _logger.LogInformation("Inbound call {CallId} with robot {RobotId}: {Outcome}", callId, robot.RobotId, outcome);
            }
            finally
            {
                seats.Release(robot.RobotId);
            }
        }
        else if (route.OverflowSkillGroup is { } group && agentQueue is not null)
        {
            await control.AnswerAsync(incoming.Leg, cancellationToken);
            await CommandRunner.RunAsync(store, Deciders.Call, tenant, stream, new CallCommand.Answer(callId, _time.GetUtcNow()),
                metadata: metadata, cancellationToken: cancellationToken);
            var outcome = await agentQueue.ConnectToAgentAsync(
                new QueuedCall(route.TenantId, callId, incoming.Leg, group, incoming.Caller, null, new Dictionary<string, string>(),
                    $"robot {robot.Name} at capacity", _time.GetUtcNow()),
                robots.Options.QueueTimeout, cancellationToken);
            if (outcome == QueueOutcome.TimedOut)
            {
                await control.HangUpAsync(incoming.Leg, CallCloseReason.Normal);
            }
        }
        else
        {
            refusedBusy = true;
            await control.RejectAsync(incoming.Leg, RejectCause.Busy);
        }

        await closing;
    }

    private async Task<Robot.Active?> LoadRobotAsync(InboundNumbers.Route route, CancellationToken cancellationToken)
    {
        var (state, _) = await CommandRunner.LoadAsync(
            store, Deciders.Robot, Deciders.TenantKey(route.TenantId), Deciders.Robot.StreamId(route.RobotId), cancellationToken);
        return state as Robot.Active;
    }

    /// <summary>Appends the call's hang-up when its leg ends: the caller's BYE, the robot's or agent's, or our refusal.</summary>
    private async Task CloseOnHangUpAsync(
        ChannelReader<LegEvent> inbox, string tenant, string stream, Guid callId, Func<bool> refusedBusy, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var answered = false;
        await foreach (var e in inbox.ReadAllAsync(cancellationToken))
        {
            switch (e)
            {
                case LegEvent.Answered:
                    answered = true;
                    break;
                case LegEvent.Hungup hungup:
                    var by = hungup.By == CallEndedBy.Remote ? HangUpParty.Customer : answered ? HangUpParty.Seat : HangUpParty.Platform;
                    var reason = refusedBusy() ? CloseReason.BBusy : (CloseReason)(int)hungup.Reason;
                    await CommandRunner.RunAsync(store, Deciders.Call, tenant, stream, new CallCommand.HangUp(callId, by, reason, hungup.At),
                        metadata: metadata, cancellationToken: CancellationToken.None);
                    return;
            }
        }
    }
}
