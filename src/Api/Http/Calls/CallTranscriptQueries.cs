using System.Security.Claims;
using Aicc.Handlers.Http;
using Aicc.Projections.Calls;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Calls;

/// <summary>
/// The transcript of a call for the agent who takes it over from the robot (and supervisors):
/// what the robot said, what the caller said with the intents recognised, keys pressed, and the
/// script's variables, in order. Read from the inline transcript model, so it is complete the
/// moment the transfer is requested.
/// </summary>
public static class CallTranscriptQueries
{
    public static IEndpointRouteBuilder MapCallTranscript(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/calls/{callId:guid}/transcript", GetAsync)
            .RequireAuthorization(policy)
            .WithTags("Calls")
            .WithName("GetCallTranscript")
            .WithSummary("A call's robot transcript: prompts, the caller's utterances with timings, intents with confidence, keys, variables and the hand-over reason.")
            .Produces<CallTranscripts.Transcript>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<CallTranscripts.Transcript>, ProblemHttpResult>> GetAsync(
        Guid callId, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var transcript = await CallTranscripts.FindAsync(dataSource, user.Tenant(), callId, cancellationToken);
        return transcript is null ? Problems.NotFound("call transcript", callId) : TypedResults.Ok(transcript);
    }
}
