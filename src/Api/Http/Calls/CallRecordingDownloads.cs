using System.Security.Claims;
using Aicc.Api.Http.Agents;
using Aicc.Api.Http.Auth;
using Aicc.Domain.Calls;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Aicc.Handlers.Recording;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Calls;

/// <summary>
/// Plays back a call's recording (the call record's recording URL points here). Customers'
/// voices are sensitive: admins and supervisors hear the tenant's calls, an agent only the calls
/// they took; another tenant's call is not found. The WAV is read from this host's
/// <see cref="RecordingsFolder"/>; a recording stored elsewhere (an absolute URL) is redirected to.
/// </summary>
public static class CallRecordingDownloads
{
    public const string ContentType = "audio/wav";

    public static IEndpointRouteBuilder MapCallRecordingDownloads(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/calls/{callId:guid}/recording", GetAsync)
            .RequireAuthorization(policy)
            .WithTags("Calls")
            .WithName("GetCallRecording")
            .WithSummary("The call's latest recording as a WAV (8 kHz 16-bit mono, both parties mixed); agents may fetch only calls they took. Supports Range requests.")
            .Produces(StatusCodes.Status200OK, contentType: ContentType)
            .Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<PhysicalFileHttpResult, RedirectHttpResult, ProblemHttpResult>> GetAsync(
        Guid callId, ClaimsPrincipal user, PostgresEventStore store, NpgsqlDataSource dataSource, RecordingsFolder folder, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var (state, _) = await CommandRunner.LoadAsync(store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), cancellationToken);
        if (state is not Call.Existing call)
        {
            return Problems.NotFound("call", callId);
        }

        if (!user.IsInRole(Roles.Admin) && !user.IsInRole(Roles.Supervisor))
        {
            var seat = await AgentSeats.OfAsync(dataSource, tenant, user.EmployeeId(), cancellationToken);
            if (seat is null || call.Info.AgentId != seat.AgentId)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Agents hear only the calls they took.");
            }
        }

        var location = call.Info.Recordings.LastOrDefault(r => r.Location is not null)?.Location;
        if (location is null)
        {
            return Problems.NotFound("call recording", callId);
        }

        if (Uri.TryCreate(location, UriKind.Absolute, out var external) && external.Scheme is "http" or "https")
        {
            return TypedResults.Redirect(location);
        }

        var path = folder.PathOf(location);
        if (path is null || !File.Exists(path))
        {
            return Problems.NotFound("call recording", callId);
        }

        return TypedResults.PhysicalFile(path, ContentType, $"call-{callId}.wav", enableRangeProcessing: true);
    }
}
