using System.Security.Claims;
using Aicc.Domain.Lines;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Aicc.Handlers.Lines.ReconfiguringLine;
using Aicc.Projections.Resources;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Resources;

/// <summary>
/// Lines and robot seats as tasks name them: lists from the inline line_list and robot_list read
/// models (written in the append's transaction, so a list read after a command includes it), one
/// resource folded from its stream (always current, with its version as the ETag).
/// </summary>
public static class ResourceQueries
{
    /// <summary>
    /// One line: address, transport, cap, channels in use (by every task and call back on it),
    /// health, and the trunk username (never the password); the caller-ID rules on a single line's GET.
    /// </summary>
    public sealed record LineRow(
        Guid Id, string Name, string Address, string Transport, int MaxChannels, int ChannelsInUse, string Health, string? Username, long Version,
        ReconfigureLine.CallerIdResponse? CallerId = null);

    /// <summary>One robot seat with the script version it runs.</summary>
    public sealed record RobotRow(Guid Id, string Name, Guid ScriptId, int ScriptVersion, string Voice, int Capacity, long Version);

    public static IEndpointRouteBuilder MapResourceQueries(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/lines", LinesAsync).RequireAuthorization(policy).WithTags("Lines").WithName("ListLines")
            .WithSummary("The tenant's active lines with channels in use and health.");
        app.MapGet("/api/v1/robots", RobotsAsync).RequireAuthorization(policy).WithTags("Robots").WithName("ListRobots")
            .WithSummary("The tenant's active robot seats.");
        app.MapGet("/api/v1/lines/{lineId:guid}", LineAsync).RequireAuthorization(policy).WithTags("Lines").WithName("GetLine")
            .WithSummary("One line (never its password); the ETag is for If-Match on later commands.");
        app.MapGet("/api/v1/robots/{robotId:guid}", RobotAsync).RequireAuthorization(policy).WithTags("Robots").WithName("GetRobot")
            .WithSummary("One robot seat and its pinned script version; the ETag is for If-Match on later commands.");
        return app;
    }

    private static async Task<Results<Ok<LineRow>, ProblemHttpResult>> LineAsync(
        Guid lineId, ClaimsPrincipal user, HttpResponse response, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var (state, version) = await CommandRunner.LoadAsync(store, Deciders.Line, user.Tenant(), Deciders.Line.StreamId(lineId), cancellationToken);
        if (state is not Line.Active line)
        {
            return Problems.NotFound("line", lineId);
        }

        Versions.SetETag(response, version);
        return TypedResults.Ok(new LineRow(lineId, line.Name, line.Config.Address, ResourceListProjection.TransportName(line.Config.Transport),
            line.Config.MaxChannels, line.ChannelsInUse.Count, line.Health.ToString().ToLowerInvariant(), line.Config.Credentials?.Username, version,
            ReconfigureLine.Show(line.Config.CallerId)));
    }

    private static async Task<Results<Ok<RobotRow>, ProblemHttpResult>> RobotAsync(
        Guid robotId, ClaimsPrincipal user, HttpResponse response, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var (state, version) = await CommandRunner.LoadAsync(store, Deciders.Robot, user.Tenant(), Deciders.Robot.StreamId(robotId), cancellationToken);
        if (state is not Robot.Active robot)
        {
            return Problems.NotFound("robot", robotId);
        }

        Versions.SetETag(response, version);
        return TypedResults.Ok(new RobotRow(robotId, robot.Name, robot.Script.ScriptId, robot.Script.Version, robot.Voice, robot.Capacity, version));
    }

    private static async Task<Ok<List<LineRow>>> LinesAsync(ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select line_id, name, address, transport, max_channels, channels_in_use, health, username, version
            from line_list where tenant = $1 and active order by created_at, line_id limit 1000
            """);
        command.Parameters.AddWithValue(user.Tenant());
        var rows = new List<LineRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new LineRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.GetInt32(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetInt64(8)));
        }

        return TypedResults.Ok(rows);
    }

    private static async Task<Ok<List<RobotRow>>> RobotsAsync(ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select robot_id, name, script_id, script_version, voice, capacity, version
            from robot_list where tenant = $1 and active order by created_at, robot_id limit 1000
            """);
        command.Parameters.AddWithValue(user.Tenant());
        var rows = new List<RobotRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new RobotRow(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetInt32(3), reader.GetString(4),
                reader.GetInt32(5), reader.GetInt64(6)));
        }

        return TypedResults.Ok(rows);
    }
}
