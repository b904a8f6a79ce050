using System.Security.Claims;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Aicc.Handlers.RobotPipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Handlers.Robots.ChangingVoice;

/// <summary>
/// PUT /api/v1/robots/{id}/voice: the robot's new calls speak with another voice (seed 002's
/// 音色); calls in progress keep theirs.
/// </summary>
public static class ChangeRobotVoice
{
    private const int MaxVoiceLength = 64;

    /// <summary>The voice's name as the speech engines know it (<c>slt</c>, <c>cmn-latn-pinyin</c>).</summary>
    public sealed record Request(string? Voice);

    public static RouteHandlerBuilder MapChangeRobotVoice(this IEndpointRouteBuilder app, string policy) =>
        app.MapPut("/api/v1/robots/{robotId:guid}/voice", HandleAsync)
            .RequireAuthorization(policy)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithTags("Robots")
            .WithName("ChangeRobotVoice")
            .WithSummary("Change the voice the robot's new calls speak with (422 when no speech engine of this node speaks it). If-Match: the robot's ETag (409 on mismatch).");

    public static async Task<Results<Ok<RobotSettingsResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid robotId, Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var voice = request.Voice?.Trim();
        if (string.IsNullOrEmpty(voice) || voice.Length > MaxVoiceLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["voice"] = [$"Required, at most {MaxVoiceLength} characters."] });
        }

        // A node that carries calls knows its engines; one that serves HTTP only cannot tell,
        // and the robot's calls report an unknown voice when they start.
        if (http.RequestServices.GetService<RobotEngines>() is { } engines && !engines.Tts.Supports(voice))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["voice"] = [$"No speech engine speaks '{voice}'."] });
        }

        return await RobotSettingsWrite.RunAsync(robotId, new RobotCommand.ChangeVoice(robotId, voice, clock.GetUtcNow()), user, http, store, cancellationToken);
    }
}
