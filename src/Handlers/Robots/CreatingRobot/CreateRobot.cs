using System.Security.Claims;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Aicc.Handlers.Scripts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Robots.CreatingRobot;

/// <summary>
/// POST /api/v1/robots: a robot seat with a pinned script version, a voice and a capacity, so a
/// task's handler can name it.
/// </summary>
public static class CreateRobot
{
    /// <summary>The body of a create.</summary>
    public sealed record Request(string? Name, Guid? ScriptId, int? ScriptVersion, string? Voice, int? Capacity);

    /// <summary>The new robot seat.</summary>
    public sealed record Response(Guid Id, string Name, Guid ScriptId, int ScriptVersion, string Voice, int Capacity, long Version);

    public static RouteHandlerBuilder MapCreateRobot(this IEndpointRouteBuilder app, string policy) =>
        app.MapPost("/api/v1/robots", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Robots")
            .WithName("CreateRobot")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Add a robot seat (script id and a published version of it in this tenant, else 422; voice, capacity). Send Idempotency-Key to make retries safe.");

    public static async Task<Results<Created<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, ScriptLibrary scripts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["Required."];
        }

        if (request.ScriptId is null || request.ScriptId == Guid.Empty)
        {
            errors["scriptId"] = ["Required."];
        }

        if (request.ScriptVersion is not >= 1)
        {
            errors["scriptVersion"] = ["1 or later."];
        }

        if (string.IsNullOrWhiteSpace(request.Voice))
        {
            errors["voice"] = ["Required."];
        }

        if (request.Capacity is not >= 1)
        {
            errors["capacity"] = ["At least 1."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await scripts.HasVersionAsync(user.TenantId(), request.ScriptId!.Value, request.ScriptVersion!.Value, cancellationToken))
        {
            return ScriptProblems.UnknownVersion(request.ScriptId.Value, request.ScriptVersion.Value);
        }

        var tenant = user.Tenant();
        var robotId = IdempotencyKeys.DeriveId(tenant, "robot", http.IdempotencyKey());
        var result = await CommandRunner.RunAsync(
            store, Deciders.Robot, tenant, Deciders.Robot.StreamId(robotId),
            new RobotCommand.Create(robotId, user.TenantId(), request.Name!, new ScriptVersion(request.ScriptId!.Value, request.ScriptVersion!.Value),
                request.Voice!, request.Capacity!.Value, clock.GetUtcNow()),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        var robot = (Robot.Active)result.State;
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Created($"/api/v1/robots/{robotId}",
            new Response(robotId, robot.Name, robot.Script.ScriptId, robot.Script.Version, robot.Voice, robot.Capacity, result.Version));
    }
}
