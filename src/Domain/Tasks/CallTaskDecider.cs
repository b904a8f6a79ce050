using Aicc.Domain.Common;

namespace Aicc.Domain.Tasks;

/// <summary>
/// Decides task commands. Line and handler are fixed while the task runs (pause first: calls in
/// flight were placed under them); pacing, windows, retries, rate and dispositions can be tuned live.
/// </summary>
public static class CallTaskDecider
{
    public static CallTask Initial => CallTask.Initial;

    public static Decider<CallTaskCommand, CallTaskEvent, CallTask> Definition { get; } = new(Decide, Evolve, Initial);

    public static CallTask Evolve(CallTask state, CallTaskEvent @event) => CallTask.Evolve(state, @event);

    public static IReadOnlyList<CallTaskEvent> Decide(CallTaskCommand command, CallTask state) => (command, state) switch
    {
        (CallTaskCommand.Create c, CallTask.None) => [Create(c)],
        (CallTaskCommand.Create c, CallTask.Existing s) when s.Setup.Name == c.Name.Trim() => [],
        (CallTaskCommand.Create, _) => throw new DomainException("task.already_exists", "A task with this id already exists."),
        (_, CallTask.None) => throw new DomainException("task.not_found", "The task does not exist."),

        (CallTaskCommand.Complete, CallTask.Completed) => [],
        (CallTaskCommand.Cancel, CallTask.Cancelled) => [],
        (_, CallTask.Completed or CallTask.Cancelled) => throw new DomainException(
            "task.closed", "The task is completed or cancelled."),

        (CallTaskCommand.SetLine or CallTaskCommand.SetHandler, CallTask.Running) => throw new DomainException(
            "task.running", "Pause the task before changing its line or handler."),

        (CallTaskCommand.Rename c, CallTask.Existing s) => Rename(c, s.Setup),
        (CallTaskCommand.SetLine c, CallTask.Existing s) => SetLine(c, s.Setup),
        (CallTaskCommand.SetHandler c, CallTask.Existing s) => SetHandler(c, s.Setup),
        (CallTaskCommand.SetPacing c, CallTask.Existing s) => Validate(c.Pacing) == s.Setup.Pacing
            ? []
            : [new CallTaskEvent.PacingSet(c.TaskId, c.Pacing, c.Now)],
        (CallTaskCommand.SetCallingWindows c, CallTask.Existing s) => SetWindows(c, s.Setup),
        (CallTaskCommand.SetRetryPolicy c, CallTask.Existing s) => Validate(c.Retry) == s.Setup.Retry
            ? []
            : [new CallTaskEvent.RetryPolicySet(c.TaskId, c.Retry, c.Now)],
        (CallTaskCommand.SetRateLimit c, CallTask.Existing s) => SetRateLimit(c, s.Setup),
        (CallTaskCommand.SetDispositions c, CallTask.Existing s) => SetDispositions(c, s.Setup),
        (CallTaskCommand.SetNumberPool c, CallTask.Existing s) => s.Setup.NumberPoolId == c.PoolId
            ? []
            : [new CallTaskEvent.NumberPoolSet(c.TaskId, c.PoolId, c.Now)],
        (CallTaskCommand.AcceptCustomerBatch c, CallTask.Existing s) => AcceptBatch(c, s.Setup),

        (CallTaskCommand.Start c, CallTask.Draft s) => RequireComplete(s.Setup, new CallTaskEvent.Started(c.TaskId, c.Now)),
        (CallTaskCommand.Start, CallTask.Running) => [],
        (CallTaskCommand.Start, CallTask.Paused) => throw new DomainException(
            "task.paused", "The task already started and is paused; resume it."),

        (CallTaskCommand.Pause c, CallTask.Running) => [new CallTaskEvent.Paused(c.TaskId, RequireReason(c.Reason), c.Now)],
        (CallTaskCommand.Pause, CallTask.Paused) => [],
        (CallTaskCommand.Pause, CallTask.Draft) => throw NotStarted(),

        (CallTaskCommand.Resume c, CallTask.Paused s) => RequireComplete(s.Setup, new CallTaskEvent.Resumed(c.TaskId, c.Now)),
        (CallTaskCommand.Resume, CallTask.Running) => [],
        (CallTaskCommand.Resume, CallTask.Draft) => throw NotStarted(),

        (CallTaskCommand.Complete c, CallTask.Running or CallTask.Paused) => [new CallTaskEvent.Completed(c.TaskId, c.Now)],
        (CallTaskCommand.Complete, CallTask.Draft) => throw NotStarted(),

        (CallTaskCommand.Cancel c, CallTask.Draft or CallTask.Running or CallTask.Paused) =>
            [new CallTaskEvent.Cancelled(c.TaskId, RequireReason(c.Reason), c.Now)],

        _ => throw new DomainException("task.unsupported", $"{command.GetType().Name} is not possible now."),
    };

    /// <summary>Everything a start needs, listed at once; also checked on resume since settings may change while paused.</summary>
    public static IReadOnlyList<string> MissingForStart(TaskSetup setup)
    {
        var missing = new List<string>();
        if (setup.LineId is null)
        {
            missing.Add("line");
        }

        if (setup.Handler is null)
        {
            missing.Add("handler");
        }

        if (setup.CustomerCount == 0)
        {
            missing.Add("customers");
        }

        // Agentless pacing has nobody to hand an answered call to unless a robot takes it first;
        // agent pacing modes size the dialing to free agents, which a robot-first task does not wait for.
        if (setup.Handler is { } handler && handler.StartsWithRobot != (setup.Pacing.Mode == TaskPacingMode.Agentless))
        {
            missing.Add("pacing");
        }

        return missing;
    }

    private static IReadOnlyList<CallTaskEvent> RequireComplete(TaskSetup setup, CallTaskEvent transition)
    {
        var missing = MissingForStart(setup);
        return missing.Count == 0 ? [transition] : throw new TaskIncompleteException(missing);
    }

    private static CallTaskEvent Create(CallTaskCommand.Create c) =>
        new CallTaskEvent.Created(
            c.TaskId,
            c.TenantId,
            RequireName(c.Name),
            c.CreatedBy,
            TaskPacing.Default,
            CallingWindow.Default,
            RetryPolicy.Default,
            c.Now);

    private static IReadOnlyList<CallTaskEvent> Rename(CallTaskCommand.Rename c, TaskSetup setup)
    {
        var name = RequireName(c.Name);
        return name == setup.Name ? [] : [new CallTaskEvent.Renamed(c.TaskId, name, c.Now)];
    }

    private static IReadOnlyList<CallTaskEvent> SetLine(CallTaskCommand.SetLine c, TaskSetup setup)
    {
        if (c.LineId == Guid.Empty)
        {
            throw new DomainException("task.invalid_line", "A line id is required.");
        }

        return c.LineId == setup.LineId ? [] : [new CallTaskEvent.LineSet(c.TaskId, c.LineId, c.Now)];
    }

    private static IReadOnlyList<CallTaskEvent> SetHandler(CallTaskCommand.SetHandler c, TaskSetup setup)
    {
        TaskHandler handler = c.Handler switch
        {
            TaskHandler.Robot r when r.RobotId != Guid.Empty => r,
            TaskHandler.AgentGroup g when !string.IsNullOrWhiteSpace(g.SkillGroup) => g with { SkillGroup = g.SkillGroup.Trim() },
            TaskHandler.RobotThenAgent h when h.RobotId != Guid.Empty && !string.IsNullOrWhiteSpace(h.SkillGroup) =>
                h with { SkillGroup = h.SkillGroup.Trim() },
            _ => throw new DomainException("task.invalid_handler", "A handler names a robot, a skill group, or both."),
        };
        return handler == setup.Handler ? [] : [new CallTaskEvent.HandlerSet(c.TaskId, handler, c.Now)];
    }

    private static TaskPacing Validate(TaskPacing pacing)
    {
        if (!Enum.IsDefined(pacing.Mode))
        {
            throw new DomainException("task.invalid_pacing", $"'{pacing.Mode}' is not a pacing mode.");
        }

        if (pacing.Mode == TaskPacingMode.Power ? pacing.Ratio is not (>= 1m and <= 10m) : pacing.Ratio is not null)
        {
            throw new DomainException(
                "task.invalid_pacing", "Power pacing needs a ratio from 1 to 10 calls per agent; other modes take none.");
        }

        if (pacing.AbandonCap is <= 0m or >= 1m)
        {
            throw new DomainException("task.invalid_pacing", "The abandon cap is a share between 0 and 1 (0.03 is 3%).");
        }

        return pacing;
    }

    private static IReadOnlyList<CallTaskEvent> SetWindows(CallTaskCommand.SetCallingWindows c, TaskSetup setup)
    {
        var windows = c.Windows.OrderBy(window => window.Start).ToValueList();
        if (windows.Count == 0)
        {
            throw new DomainException("task.invalid_calling_windows", "A task needs at least one calling window.");
        }

        for (var i = 0; i < windows.Count; i++)
        {
            if (windows[i].Start >= windows[i].End)
            {
                throw new DomainException(
                    "task.invalid_calling_windows", $"Window {windows[i].Start}-{windows[i].End} ends before it starts.");
            }

            if (i > 0 && windows[i].Start < windows[i - 1].End)
            {
                throw new DomainException("task.invalid_calling_windows", "Calling windows overlap.");
            }
        }

        return windows == setup.Windows ? [] : [new CallTaskEvent.CallingWindowsSet(c.TaskId, windows, c.Now)];
    }

    private static RetryPolicy Validate(RetryPolicy retry)
    {
        foreach (var rule in new[] { retry.Busy, retry.NoAnswer, retry.Failed, retry.Abandoned })
        {
            if (rule.Delay < TimeSpan.Zero || rule.MaxAttempts is < 1 or > 20)
            {
                throw new DomainException(
                    "task.invalid_retry_policy", "Retry delays cannot be negative and attempts run from 1 to 20.");
            }
        }

        return retry;
    }

    private static IReadOnlyList<CallTaskEvent> SetRateLimit(CallTaskCommand.SetRateLimit c, TaskSetup setup)
    {
        if (c.MaxCallsPerMinute is < 1)
        {
            throw new DomainException("task.invalid_rate_limit", "A rate limit allows at least one call per minute.");
        }

        return c.MaxCallsPerMinute == setup.MaxCallsPerMinute
            ? []
            : [new CallTaskEvent.RateLimitSet(c.TaskId, c.MaxCallsPerMinute, c.Now)];
    }

    private static IReadOnlyList<CallTaskEvent> SetDispositions(CallTaskCommand.SetDispositions c, TaskSetup setup)
    {
        if (c.Dispositions.Any(string.IsNullOrWhiteSpace))
        {
            throw new DomainException("task.invalid_dispositions", "A disposition needs a name.");
        }

        var dispositions = c.Dispositions.Select(d => d.Trim()).Distinct(StringComparer.Ordinal).ToValueList();
        return dispositions == setup.Dispositions
            ? []
            : [new CallTaskEvent.DispositionsSet(c.TaskId, dispositions, c.Now)];
    }

    private static IReadOnlyList<CallTaskEvent> AcceptBatch(CallTaskCommand.AcceptCustomerBatch c, TaskSetup setup)
    {
        if (setup.Batches.Contains(c.BatchId))
        {
            return [];
        }

        if (c.Accepted < 0 || c.Rejected < 0 || c.Duplicates < 0)
        {
            throw new DomainException("task.invalid_batch", "Batch counts cannot be negative.");
        }

        return [new CallTaskEvent.CustomerBatchAccepted(c.TaskId, c.BatchId, c.Accepted, c.Rejected, c.Duplicates, c.Now)];
    }

    private static string RequireName(string name) =>
        string.IsNullOrWhiteSpace(name)
            ? throw new DomainException("task.name_required", "A task needs a name.")
            : name.Trim();

    private static string RequireReason(string reason) =>
        string.IsNullOrWhiteSpace(reason) ? "operator" : reason.Trim();

    private static DomainException NotStarted() =>
        new("task.not_started", "The task has not started.");
}
