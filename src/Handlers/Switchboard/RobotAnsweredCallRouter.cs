using System.Collections.Concurrent;
using Aicc.Domain.Robots;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Telephony.CallControl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aicc.Handlers.Switchboard;

/// <summary>
/// The rule for answered calls nobody free can take (issue 6, the regulators' rule): an agent
/// within <see cref="AgentWait"/>, or the message, spoken, and the call ends counted abandoned.
/// </summary>
public sealed record AbandonedCallRules
{
    /// <summary>How long an answered customer of a task may wait for a free agent before hearing the message.</summary>
    public TimeSpan AgentWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The recorded message (spoken by the speech engine) a customer nobody could take hears before the line is closed.</summary>
    public string Message { get; init; } = "Sorry, all of our agents are busy right now. We will call you again soon. Goodbye.";

    /// <summary>The voice the message is spoken in.</summary>
    public string Voice { get; init; } = "slt";
}

/// <summary>
/// Hands an answered outbound call to whoever the task's handling setting names: its robot
/// (<see cref="TaskHandler.Robot"/>), its robot with the task's skill group for hand-overs
/// (<see cref="TaskHandler.RobotThenAgent"/>), or its agents' queue (<see cref="TaskHandler.AgentGroup"/>).
/// A robot at capacity passes a robot-then-agent call to the agents. An answered call no agent
/// takes within <see cref="AbandonedCallRules.AgentWait"/> (2 s), and a robot-only call its robot
/// cannot take, hear the recorded message and are hung up: no seat ever connected, so the call's
/// outcome is abandoned (<see cref="Domain.Calls.CallDecider.OutcomeOf"/>), which the dialer's
/// pacing and the abandon-rate figures count. Returns as soon as the call is in hand; the
/// conversation runs on.
/// </summary>
public sealed class RobotAnsweredCallRouter(
    CallEventHub hub,
    PostgresEventStore store,
    RobotSessions robots,
    RobotSeats seats,
    IAgentQueue? agentQueue = null,
    ILogger<RobotAnsweredCallRouter>? logger = null,
    AbandonedCallRules? abandoned = null) : IAnsweredCallRouter
{
    private readonly AbandonedCallRules _abandoned = abandoned ?? new AbandonedCallRules();
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<Guid, Task> _running = new();

    /// <summary>Answered calls still carried by a robot or waiting in a queue.</summary>
    public int ActiveCalls => _running.Count;

    public async Task TakeOverAsync(AnsweredCall call, CancellationToken cancellationToken)
    {
        var tenant = Deciders.TenantKey(call.TenantId);
        var (task, _) = await CommandRunner.LoadAsync(store, Deciders.Task, tenant, Deciders.Task.StreamId(call.TaskId), cancellationToken);
        var handler = (task as CallTask.Existing)?.Setup.Handler;
        var (robotId, group) = handler switch
        {
            TaskHandler.Robot r => ((Guid?)r.RobotId, (string?)null),
            TaskHandler.RobotThenAgent r => (r.RobotId, r.SkillGroup),
            TaskHandler.AgentGroup a => (null, a.SkillGroup),
            _ => (null, null),
        };

        Robot.Active? robot = null;
        if (robotId is { } id)
        {
            var (state, _) = await CommandRunner.LoadAsync(store, Deciders.Robot, tenant, Deciders.Robot.StreamId(id), cancellationToken);
            robot = state as Robot.Active;
        }

        if (robot is not null && seats.TryTake(robot.RobotId, robot.Capacity))
        {
            var assignment = new RobotAssignment(
                call.TenantId, call.CallId, call.Leg, robot.RobotId, robot.Script, robot.Voice, call.CustomerPhone, call.TaskId, call.Variables, group);
            Start(call, async () =>
            {
                try
                {
                    var outcome = await robots.RunAsync(assignment, cancellationToken);
                    _logger.LogInformation("Call {CallId} of task {TaskId} with robot {RobotId}: {Outcome}", call.CallId, call.TaskId, robot.RobotId, outcome);
                }
                finally
                {
                    seats.Release(robot.RobotId);
                }
            });
            return;
        }

        if (group is not null && agentQueue is not null)
        {
            var queued = new QueuedCall(call.TenantId, call.CallId, call.Leg, group, call.CustomerPhone, call.TaskId, call.Variables,
                robot is null ? null : $"robot {robot.Name} at capacity", call.AnsweredAt);
            Start(call, async () =>
            {
                if (await agentQueue.ConnectToAgentAsync(queued, _abandoned.AgentWait, cancellationToken) == QueueOutcome.TimedOut)
                {
                    _logger.LogInformation("Call {CallId} of task {TaskId}: no agent of {Group} within {Wait} s; abandoned with the message", call.CallId, call.TaskId, group, _abandoned.AgentWait.TotalSeconds);
                    await AbandonAsync(call, cancellationToken);
                }
            });
            return;
        }

        _logger.LogWarning("Call {CallId} of task {TaskId}: nobody can take it (handler {Handler}); abandoned with the message", call.CallId, call.TaskId, handler);
        Start(call, () => AbandonAsync(call, cancellationToken));
    }

    /// <summary>Speaks the recorded message to the customer and hangs up; the call ends abandoned (answered, no seat).</summary>
    private async Task AbandonAsync(AnsweredCall call, CancellationToken cancellationToken)
    {
        try
        {
            var message = await robots.Engines.Tts.SynthesizeAsync(_abandoned.Message, _abandoned.Voice, cancellationToken);
            await hub.Control.Media(call.Leg).PlayAsync(message.Samples, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // The customer hung up during the message: the leg is gone and so is the need to close it.
            return;
        }

        try
        {
            await hub.Control.HangUpAsync(call.Leg, CallCloseReason.Normal);
        }
        catch (InvalidOperationException)
        {
            // The customer hung up as the message ended.
        }
    }

    /// <summary>Waits for every call in hand (shutdown, tests).</summary>
    public Task DrainAsync() => Task.WhenAll(_running.Values);

    private void Start(AnsweredCall call, Func<Task> work)
    {
        var running = Task.Run(async () =>
        {
            try
            {
                await work();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A customer left on a line nobody carries hears silence: end it.
                _logger.LogError(e, "Answered call {CallId} failed in the switchboard", call.CallId);
                await hub.Control.HangUpAsync(call.Leg, CallCloseReason.ChannelError);
            }
        });
        _running[call.CallId] = running;
        _ = running.ContinueWith(_ => _running.TryRemove(call.CallId, out var _), TaskScheduler.Default);
    }
}
