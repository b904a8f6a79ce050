using System.Security.Claims;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Tasks.ChangingTaskState;

/// <summary>
/// POST /api/v1/tasks/{id}/start|pause|resume|cancel: the task's lifecycle. Start (and resume)
/// are refused with 409 and the list of what is missing when the task is incomplete; the
/// decider decides, this only maps HTTP to commands. If-Match is honoured like on PUT.
/// </summary>
public static class ChangeTaskState
{
    /// <summary>Optional body for pause and cancel: why (shown in the task and its history).</summary>
    public sealed record ReasonBody(string? Reason);

    /// <summary>The task's state after the command.</summary>
    public sealed record Response(Guid Id, string State, long Version);

    public static IEndpointRouteBuilder MapChangeTaskState(this IEndpointRouteBuilder app, string policy)
    {
        var group = app.MapGroup("/api/v1/tasks/{taskId:guid}").RequireAuthorization(policy).WithTags("Tasks");
        group.MapPost("/start", (Guid taskId, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken ct) =>
                RunAsync(taskId, user, http, store, now => new CallTaskCommand.Start(taskId, now), clock, ct))
            .WithName("StartTask").WithSummary("Start dialing; 409 with 'missing' (line, handler, customers, pacing) when the task is incomplete.");
        group.MapPost("/pause", (Guid taskId, ReasonBody? body, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken ct) =>
                RunAsync(taskId, user, http, store, now => new CallTaskCommand.Pause(taskId, Reason(body, "paused by operator"), now), clock, ct))
            .WithName("PauseTask").WithSummary("Stop new dialing; calls in flight finish.");
        group.MapPost("/resume", (Guid taskId, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken ct) =>
                RunAsync(taskId, user, http, store, now => new CallTaskCommand.Resume(taskId, now), clock, ct))
            .WithName("ResumeTask").WithSummary("Continue dialing a paused task (completeness is checked again).");
        group.MapPost("/cancel", (Guid taskId, ReasonBody? body, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken ct) =>
                RunAsync(taskId, user, http, store, now => new CallTaskCommand.Cancel(taskId, Reason(body, "cancelled by operator"), now), clock, ct))
            .WithName("CancelTask").WithSummary("Call the task off for good; nothing more is dialed.");
        return app;
    }

    private static string Reason(ReasonBody? body, string fallback) =>
        string.IsNullOrWhiteSpace(body?.Reason) ? fallback : body.Reason.Trim();

    private static async Task<Results<Ok<Response>, ProblemHttpResult>> RunAsync(
        Guid taskId, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, Func<DateTimeOffset, CallTaskCommand> command,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var streamId = Deciders.Task.StreamId(taskId);
        var (task, _) = await CommandRunner.LoadAsync(store, Deciders.Task, tenant, streamId, cancellationToken);
        if (task is not CallTask.Existing)
        {
            return Problems.NotFound("task", taskId);
        }

        var result = await CommandRunner.RunAsync(
            store, Deciders.Task, tenant, streamId, command(clock.GetUtcNow()),
            expectedVersion: Versions.IfMatch(http.Request),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Ok(new Response(taskId, TaskStates.Name(result.State), result.Version));
    }
}
