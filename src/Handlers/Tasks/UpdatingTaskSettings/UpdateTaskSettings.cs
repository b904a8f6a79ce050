using System.Globalization;
using System.Security.Claims;
using Aicc.Domain.Common;
using Aicc.Domain.Lines;
using Aicc.Domain.Robots;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Tasks.UpdatingTaskSettings;

/// <summary>
/// PUT /api/v1/tasks/{id}: the task's settings (name, line, handler, pacing, calling windows,
/// retry policy, rate limit, dispositions). Fields left out stay as they are. Every field is
/// validated first (each bad one named), referenced lines and robots must exist in the caller's
/// tenant, and all changes are appended as one batch: the request applies entirely or not at
/// all. If-Match pins the version the client last read; a mismatch is 409.
/// </summary>
public static class UpdateTaskSettings
{
    /// <summary>Who takes answered calls: kind robot (robotId), agent_group (skillGroup) or robot_then_agent (both).</summary>
    public sealed record HandlerBody(string? Kind, Guid? RobotId, string? SkillGroup);

    /// <summary>Pacing: mode progressive|power|predictive|agentless, ratio (power), abandon cap (share, 0.03 = 3%).</summary>
    public sealed record PacingBody(string? Mode, decimal? Ratio, decimal? AbandonCap);

    /// <summary>A daily window in the callee's local time, "HH:mm".</summary>
    public sealed record WindowBody(string? Start, string? End);

    /// <summary>A redial rule: seconds to wait and attempts in total.</summary>
    public sealed record RetryRuleBody(int? DelaySeconds, int? MaxAttempts);

    /// <summary>Redial rules per outcome; outcomes left out keep their rule.</summary>
    public sealed record RetryBody(RetryRuleBody? Busy, RetryRuleBody? NoAnswer, RetryRuleBody? Failed, RetryRuleBody? Abandoned);

    /// <summary>The settings to change; <c>rateLimit</c> 0 lifts the limit.</summary>
    public sealed record Request(
        string? Name,
        Guid? LineId,
        HandlerBody? Handler,
        PacingBody? Pacing,
        IReadOnlyList<WindowBody>? CallingWindows,
        RetryBody? Retry,
        int? RateLimit,
        IReadOnlyList<string>? Dispositions);

    /// <summary>The task after the change.</summary>
    public sealed record Response(Guid Id, string State, long Version, TaskSetup Setup);

    public static RouteHandlerBuilder MapUpdateTaskSettings(this IEndpointRouteBuilder app, string policy) =>
        app.MapPut("/api/v1/tasks/{taskId:guid}", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Tasks")
            .WithName("UpdateTaskSettings")
            .WithSummary("Change a task's settings (fields left out are unchanged); all or nothing. If-Match: the ETag last read (409 on mismatch).");

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid taskId, Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var streamId = Deciders.Task.StreamId(taskId);
        var (task, _) = await CommandRunner.LoadAsync(store, Deciders.Task, tenant, streamId, cancellationToken);
        if (task is not CallTask.Existing existing)
        {
            return Problems.NotFound("task", taskId);
        }

        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var commands = new List<CallTaskCommand>();
        if (request.Name is not null)
        {
            if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > CreatingTask.CreateTask.MaxNameLength)
            {
                errors["name"] = [$"Between 1 and {CreatingTask.CreateTask.MaxNameLength} characters."];
            }
            else
            {
                commands.Add(new CallTaskCommand.Rename(taskId, request.Name, now));
            }
        }

        if (request.LineId is { } lineId)
        {
            var (line, _) = await CommandRunner.LoadAsync(store, Deciders.Line, tenant, Deciders.Line.StreamId(lineId), cancellationToken);
            if (line is Line.Active)
            {
                commands.Add(new CallTaskCommand.SetLine(taskId, lineId, now));
            }
            else
            {
                errors["lineId"] = [$"No active line {lineId} in this tenant."];
            }
        }

        if (request.Handler is { } handlerBody)
        {
            var handler = await ParseHandlerAsync(handlerBody, store, tenant, errors, cancellationToken);
            if (handler is not null)
            {
                commands.Add(new CallTaskCommand.SetHandler(taskId, handler, now));
            }
        }

        if (request.Pacing is { } pacingBody)
        {
            if (!TryParseEnum<TaskPacingMode>(pacingBody.Mode, out var mode))
            {
                errors["pacing.mode"] = ["One of progressive, power, predictive, agentless."];
            }
            else if (pacingBody.AbandonCap is < 0 or > 1)
            {
                errors["pacing.abandonCap"] = ["A share between 0 and 1 (0.03 is 3%)."];
            }
            else
            {
                commands.Add(new CallTaskCommand.SetPacing(
                    taskId, new TaskPacing(mode, pacingBody.Ratio, pacingBody.AbandonCap ?? existing.Setup.Pacing.AbandonCap), now));
            }
        }

        if (request.CallingWindows is { } windowBodies)
        {
            var windows = ParseWindows(windowBodies, errors);
            if (windows is not null)
            {
                commands.Add(new CallTaskCommand.SetCallingWindows(taskId, windows, now));
            }
        }

        if (request.Retry is { } retryBody)
        {
            var current = existing.Setup.Retry;
            var retry = new RetryPolicy(
                ParseRule(retryBody.Busy, current.Busy, "retry.busy", errors),
                ParseRule(retryBody.NoAnswer, current.NoAnswer, "retry.noAnswer", errors),
                ParseRule(retryBody.Failed, current.Failed, "retry.failed", errors),
                ParseRule(retryBody.Abandoned, current.Abandoned, "retry.abandoned", errors));
            commands.Add(new CallTaskCommand.SetRetryPolicy(taskId, retry, now));
        }

        if (request.RateLimit is { } rateLimit)
        {
            if (rateLimit < 0)
            {
                errors["rateLimit"] = ["Calls per minute, at least 1; 0 lifts the limit."];
            }
            else
            {
                commands.Add(new CallTaskCommand.SetRateLimit(taskId, rateLimit == 0 ? null : rateLimit, now));
            }
        }

        if (request.Dispositions is { } dispositions)
        {
            if (dispositions.Any(string.IsNullOrWhiteSpace))
            {
                errors["dispositions"] = ["A disposition needs a name."];
            }
            else
            {
                commands.Add(new CallTaskCommand.SetDispositions(taskId, dispositions.ToValueList(), now));
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await CommandRunner.RunAllAsync(
            store, Deciders.Task, tenant, streamId, commands,
            expectedVersion: Versions.IfMatch(http.Request),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Ok(new Response(taskId, TaskStates.Name(result.State), result.Version, ((CallTask.Existing)result.State).Setup));
    }

    private static async Task<TaskHandler?> ParseHandlerAsync(
        HandlerBody body, PostgresEventStore store, string tenant, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var kind = body.Kind?.Trim().ToLowerInvariant();
        var needsRobot = kind is "robot" or "robot_then_agent";
        var needsGroup = kind is "agent_group" or "robot_then_agent";
        if (!needsRobot && !needsGroup)
        {
            errors["handler.kind"] = ["One of robot, agent_group, robot_then_agent."];
            return null;
        }

        if (needsGroup && string.IsNullOrWhiteSpace(body.SkillGroup))
        {
            errors["handler.skillGroup"] = ["Required for this kind."];
        }

        if (needsRobot)
        {
            if (body.RobotId is not { } robotId)
            {
                errors["handler.robotId"] = ["Required for this kind."];
            }
            else
            {
                var (robot, _) = await CommandRunner.LoadAsync(store, Deciders.Robot, tenant, Deciders.Robot.StreamId(robotId), cancellationToken);
                if (robot is not Robot.Active)
                {
                    errors["handler.robotId"] = [$"No active robot {robotId} in this tenant."];
                }
            }
        }

        if (errors.Keys.Any(key => key.StartsWith("handler.", StringComparison.Ordinal)))
        {
            return null;
        }

        return kind switch
        {
            "robot" => new TaskHandler.Robot(body.RobotId!.Value),
            "agent_group" => new TaskHandler.AgentGroup(body.SkillGroup!.Trim()),
            _ => new TaskHandler.RobotThenAgent(body.RobotId!.Value, body.SkillGroup!.Trim()),
        };
    }

    private static ValueList<CallingWindow>? ParseWindows(IReadOnlyList<WindowBody> bodies, Dictionary<string, string[]> errors)
    {
        if (bodies.Count == 0)
        {
            errors["callingWindows"] = ["At least one window."];
            return null;
        }

        var windows = new List<CallingWindow>();
        for (var i = 0; i < bodies.Count; i++)
        {
            if (!TimeOnly.TryParseExact(bodies[i].Start, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
                || !TimeOnly.TryParseExact(bodies[i].End, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
            {
                errors[$"callingWindows[{i}]"] = ["Start and end as HH:mm."];
                continue;
            }

            if (end <= start)
            {
                errors[$"callingWindows[{i}]"] = ["The end comes after the start."];
                continue;
            }

            windows.Add(new CallingWindow(start, end));
        }

        var ordered = windows.OrderBy(window => window.Start).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Start < ordered[i - 1].End)
            {
                errors["callingWindows"] = ["Windows overlap."];
            }
        }

        return errors.Keys.Any(key => key.StartsWith("callingWindows", StringComparison.Ordinal)) ? null : ordered.ToValueList();
    }

    private static RetryRule ParseRule(RetryRuleBody? body, RetryRule current, string field, Dictionary<string, string[]> errors)
    {
        if (body is null)
        {
            return current;
        }

        if (body.DelaySeconds is < 0 || body.MaxAttempts is < 1 or > 20)
        {
            errors[field] = ["delaySeconds zero or more; maxAttempts between 1 and 20."];
            return current;
        }

        return new RetryRule(body.DelaySeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : current.Delay, body.MaxAttempts ?? current.MaxAttempts);
    }

    private static bool TryParseEnum<T>(string? value, out T parsed)
        where T : struct, Enum
    {
        parsed = default;
        return !string.IsNullOrWhiteSpace(value) && !int.TryParse(value, out _)
            && Enum.TryParse(value.Trim(), ignoreCase: true, out parsed) && Enum.IsDefined(parsed);
    }
}
