using System.Security.Claims;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Robots.ChangingCapacity;

/// <summary>
/// PUT /api/v1/robots/{id}/capacity: how many calls the robot holds at once. Lowering it below
/// the calls it holds lets them finish; new calls wait for a free seat. Dialers read it when
/// they start a task.
/// </summary>
public static class ChangeRobotCapacity
{
    /// <summary>Calls at once, at least 1.</summary>
    public sealed record Request(int? Capacity);

    public static RouteHandlerBuilder MapChangeRobotCapacity(this IEndpointRouteBuilder app, string policy) =>
        app.MapPut("/api/v1/robots/{robotId:guid}/capacity", HandleAsync)
            .RequireAuthorization(policy)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithTags("Robots")
            .WithName("ChangeRobotCapacity")
            .WithSummary("Change how many calls the robot holds at once (at least 1). If-Match: the robot's ETag (409 on mismatch).");

    public static async Task<Results<Ok<RobotSettingsResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid robotId, Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (request.Capacity is not >= 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["capacity"] = ["At least 1."] });
        }

        return await RobotSettingsWrite.RunAsync(robotId, new RobotCommand.ChangeCapacity(robotId, request.Capacity.Value, clock.GetUtcNow()), user, http, store, cancellationToken);
    }
}
