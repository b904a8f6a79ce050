using System.Security.Claims;
using Aicc.Domain.Lines;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Aicc.Handlers.Lines.CreatingLine;
using Aicc.Handlers.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Lines.SettingCredentials;

/// <summary>
/// PUT /api/v1/lines/{id}/credentials: the carrier issued a new trunk password (or the line
/// stops authenticating). The password is sealed before the event is written; the answer says
/// only whether one is stored.
/// </summary>
public static class SetLineCredentials
{
    /// <summary>Both set the credentials; both null (or left out) remove them.</summary>
    public sealed record Request(string? Username, string? Password);

    /// <summary>The line's credentials as far as the API shows them.</summary>
    public sealed record Response(Guid Id, string? Username, bool HasPassword, long Version);

    public static RouteHandlerBuilder MapSetLineCredentials(this IEndpointRouteBuilder app, string policy) =>
        app.MapPut("/api/v1/lines/{lineId:guid}/credentials", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Lines")
            .WithName("SetLineCredentials")
            .WithSummary("Set (or, with both fields null, remove) the trunk's username and password; the password is stored encrypted and never returned. If-Match: the line's ETag; 409 only when its settings changed since (channel use moves the ETag without making it stale).");

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid lineId, Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, LineSecrets secrets, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CreateLine.CheckCredentials(request.Username, request.Password, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenant = user.Tenant();
        var streamId = Deciders.Line.StreamId(lineId);
        var (state, _) = await CommandRunner.LoadAsync(store, Deciders.Line, tenant, streamId, cancellationToken);
        if (state is not Line.Active)
        {
            return state is Line.None ? Problems.NotFound("line", lineId) : TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Not possible now", detail: "The line was retired.",
                extensions: new Dictionary<string, object?> { ["code"] = "line.retired" });
        }

        var credentials = string.IsNullOrWhiteSpace(request.Username)
            ? null
            : secrets.Protect(user.TenantId(), lineId, request.Username.Trim(), request.Password!);
        // The line's settings guard the If-Match, not its version, which every call moves.
        var result = await LineSettingsWrite.RunAsync(store, tenant, lineId, Versions.IfMatch(http.Request),
            new LineCommand.ChangeCredentials(lineId, credentials, clock.GetUtcNow()),
            new EventMetadata(User: user.EmployeeKey()), cancellationToken)
            ?? throw new InvalidOperationException("The line disappeared while its credentials changed.");
        var stored = ((Line.Active)result.State).Config.Credentials;
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Ok(new Response(lineId, stored?.Username, stored is not null, result.Version));
    }
}
