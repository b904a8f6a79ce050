using System.Security.Claims;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aicc.Handlers.Robots;

/// <summary>The robot after a change of one of its settings (voice, capacity).</summary>
public sealed record RobotSettingsResponse(Guid Id, string Name, string Voice, int Capacity, long Version);

/// <summary>
/// Runs an operator's change of a robot's setting: 404 for a robot this tenant does not have,
/// If-Match as the expected version (409 on mismatch), the new ETag and the robot as it is now.
/// </summary>
public static class RobotSettingsWrite
{
    public static async Task<Results<Ok<RobotSettingsResponse>, ValidationProblem, ProblemHttpResult>> RunAsync(
        Guid robotId, RobotCommand command, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var streamId = Deciders.Robot.StreamId(robotId);
        var (robot, _) = await CommandRunner.LoadAsync(store, Deciders.Robot, tenant, streamId, cancellationToken);
        if (robot is Robot.None)
        {
            return Problems.NotFound("robot", robotId);
        }

        var result = await CommandRunner.RunAsync(
            store, Deciders.Robot, tenant, streamId, command,
            expectedVersion: Versions.IfMatch(http.Request),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        var changed = (Robot.Active)result.State;
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Ok(new RobotSettingsResponse(robotId, changed.Name, changed.Voice, changed.Capacity, result.Version));
    }
}
