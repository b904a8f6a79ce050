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

namespace Aicc.Handlers.Robots.PinningScript;

/// <summary>
/// PUT /api/v1/robots/{id}/script: the robot's new calls run another script version (calls in
/// progress keep theirs). The version must be published in the caller's tenant.
/// </summary>
public static class PinRobotScript
{
    /// <summary>The script and the published version to run.</summary>
    public sealed record Request(Guid? ScriptId, int? ScriptVersion);

    /// <summary>The robot after the change.</summary>
    public sealed record Response(Guid Id, string Name, Guid ScriptId, int ScriptVersion, long Version);

    public static RouteHandlerBuilder MapPinRobotScript(this IEndpointRouteBuilder app, string policy) =>
        app.MapPut("/api/v1/robots/{robotId:guid}/script", HandleAsync)
            .RequireAuthorization(policy)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithTags("Robots")
            .WithName("PinRobotScript")
            .WithSummary("Pin the robot to a published script version (422 when it is not published in this tenant). If-Match: the robot's ETag (409 on mismatch).");

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid robotId, Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, ScriptLibrary scripts, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.ScriptId is null || request.ScriptId == Guid.Empty)
        {
            errors["scriptId"] = ["Required."];
        }

        if (request.ScriptVersion is not >= 1)
        {
            errors["scriptVersion"] = ["1 or later."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenant = user.Tenant();
        var streamId = Deciders.Robot.StreamId(robotId);
        var (robot, _) = await CommandRunner.LoadAsync(store, Deciders.Robot, tenant, streamId, cancellationToken);
        if (robot is Robot.None)
        {
            return Problems.NotFound("robot", robotId);
        }

        var script = new ScriptVersion(request.ScriptId!.Value, request.ScriptVersion!.Value);
        if (!await scripts.HasVersionAsync(user.TenantId(), script.ScriptId, script.Version, cancellationToken))
        {
            return ScriptProblems.UnknownVersion(script.ScriptId, script.Version);
        }

        var result = await CommandRunner.RunAsync(
            store, Deciders.Robot, tenant, streamId, new RobotCommand.PinScript(robotId, script, clock.GetUtcNow()),
            expectedVersion: Versions.IfMatch(http.Request),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        var pinned = (Robot.Active)result.State;
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Ok(new Response(robotId, pinned.Name, pinned.Script.ScriptId, pinned.Script.Version, result.Version));
    }
}
