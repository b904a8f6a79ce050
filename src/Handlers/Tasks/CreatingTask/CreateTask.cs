using System.Security.Claims;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Tasks.CreatingTask;

/// <summary>
/// POST /api/v1/tasks: a draft task needs only a name; starting it later checks it is complete.
/// With an Idempotency-Key the task id is derived from the key, so a retry (even after a crash
/// between appending and answering) finds the task it created instead of creating a second.
/// </summary>
public static class CreateTask
{
    /// <summary>The body of a create: only the name.</summary>
    public sealed record Request(string? Name);

    /// <summary>What a create answers: the new task's id, name, state and version.</summary>
    public sealed record Response(Guid Id, string Name, string State, long Version);

    public const int MaxNameLength = 200;

    public static RouteHandlerBuilder MapCreateTask(this IEndpointRouteBuilder app, string policy) =>
        app.MapPost("/api/v1/tasks", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Tasks")
            .WithName("CreateTask")
            .WithSummary("Create a draft task (only the name is required). Send Idempotency-Key to make retries safe.");

    public static async Task<Results<Created<Response>, ValidationProblem>> HandleAsync(
        Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [string.IsNullOrEmpty(name) ? "Required." : $"At most {MaxNameLength} characters."],
            });
        }

        var tenant = user.Tenant();
        var taskId = IdempotencyKeys.DeriveId(tenant, "task", http.IdempotencyKey());
        var result = await CommandRunner.RunAsync(
            store, Deciders.Task, tenant, Deciders.Task.StreamId(taskId),
            new CallTaskCommand.Create(taskId, user.TenantId(), name, user.EmployeeId(), clock.GetUtcNow()),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        var setup = ((CallTask.Existing)result.State).Setup;
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Created($"/api/v1/tasks/{taskId}", new Response(taskId, setup.Name, TaskStates.Name(result.State), result.Version));
    }
}
