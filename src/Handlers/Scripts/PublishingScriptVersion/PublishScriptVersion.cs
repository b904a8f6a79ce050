using System.Security.Claims;
using Aicc.Domain.Conversation.Scripts;
using Aicc.Domain.Scripts;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Scripts.PublishingScriptVersion;

/// <summary>
/// POST /api/v1/scripts/{id}/versions: publishes an edited document as the next version.
/// Earlier versions stay as they were, so robots and calls pinned to them are unaffected.
/// </summary>
public static class PublishScriptVersion
{
    public static RouteHandlerBuilder MapPublishScriptVersion(this IEndpointRouteBuilder app, string policy) =>
        app.MapPost("/api/v1/scripts/{scriptId:guid}/versions", HandleAsync)
            .RequireAuthorization(policy)
            .Accepts<DialogScript>("application/json")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithTags("Scripts")
            .WithName("PublishScriptVersion")
            .WithSummary("Publish the next version of a script (201); a document equal to the latest version publishes nothing (200). 422 lists every problem; If-Match pins the script's ETag.");

    public static async Task<Results<Created<ScriptResponse>, Ok<ScriptResponse>, ProblemHttpResult>> HandleAsync(
        Guid scriptId, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var streamId = Deciders.Script.StreamId(scriptId);
        var (existing, _) = await CommandRunner.LoadAsync(store, Deciders.Script, tenant, streamId, cancellationToken);
        if (existing is not Script.Existing)
        {
            return Problems.NotFound("script", scriptId);
        }

        var (document, problem) = await ScriptUploads.ReadAsync(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await CommandRunner.RunAsync(
            store, Deciders.Script, tenant, streamId,
            new ScriptCommand.PublishVersion(scriptId, document!, clock.GetUtcNow()),
            expectedVersion: Versions.IfMatch(http.Request),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        var script = (Script.Existing)result.State;
        Versions.SetETag(http.Response, result.Version);
        var response = ScriptResponse.From(script, result.Version);
        return result.Events.Count == 0
            ? TypedResults.Ok(response)
            : TypedResults.Created($"/api/v1/scripts/{scriptId}/versions/{script.LatestVersion}", response);
    }
}
