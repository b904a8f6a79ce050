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

namespace Aicc.Handlers.Scripts.CreatingScript;

/// <summary>
/// POST /api/v1/scripts: uploads a dialog script document (nodes, intents with their training
/// examples, variables) as version 1 of a new script of the caller's tenant.
/// </summary>
public static class CreateScript
{
    public static RouteHandlerBuilder MapCreateScript(this IEndpointRouteBuilder app, string policy) =>
        app.MapPost("/api/v1/scripts", HandleAsync)
            .RequireAuthorization(policy)
            .Accepts<DialogScript>("application/json")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithTags("Scripts")
            .WithName("CreateScript")
            .WithSummary("Upload a dialog script as version 1; 422 lists every problem with its node id and stores nothing. Send Idempotency-Key to make retries safe.");

    public static async Task<Results<Created<ScriptResponse>, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (document, problem) = await ScriptUploads.ReadAsync(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var tenant = user.Tenant();
        var scriptId = IdempotencyKeys.DeriveId(tenant, "script", http.IdempotencyKey());
        var result = await CommandRunner.RunAsync(
            store, Deciders.Script, tenant, Deciders.Script.StreamId(scriptId),
            new ScriptCommand.Create(scriptId, user.TenantId(), document!, clock.GetUtcNow()),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Created($"/api/v1/scripts/{scriptId}", ScriptResponse.From((Script.Existing)result.State, result.Version));
    }
}
