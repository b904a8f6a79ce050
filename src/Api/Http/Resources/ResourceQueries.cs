using System.Security.Claims;
using Aicc.Domain.Lines;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Resources;

/// <summary>
/// Lines and robot seats as tasks name them. A tenant has a handful of each, so the list folds
/// each live stream of the type (always current) instead of keeping another read model.
/// </summary>
public static class ResourceQueries
{
    /// <summary>One line: address, transport, cap, channels in use and health.</summary>
    public sealed record LineRow(Guid Id, string Name, string Address, string Transport, int MaxChannels, int ChannelsInUse, string Health);

    /// <summary>One robot seat.</summary>
    public sealed record RobotRow(Guid Id, string Name, Guid ScriptId, int ScriptVersion, string Voice, int Capacity);

    public static IEndpointRouteBuilder MapResourceQueries(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/lines", LinesAsync).RequireAuthorization(policy).WithTags("Lines").WithName("ListLines")
            .WithSummary("The tenant's active lines with channels in use and health.");
        app.MapGet("/api/v1/robots", RobotsAsync).RequireAuthorization(policy).WithTags("Robots").WithName("ListRobots")
            .WithSummary("The tenant's active robot seats.");
        return app;
    }

    private static async Task<Ok<List<LineRow>>> LinesAsync(ClaimsPrincipal user, PostgresEventStore store, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var rows = new List<LineRow>();
        foreach (var streamId in await StreamsAsync(dataSource, user.Tenant(), Deciders.Line.StreamType, cancellationToken))
        {
            var (state, _) = await CommandRunner.LoadAsync(store, Deciders.Line, user.Tenant(), streamId, cancellationToken);
            if (state is Line.Active line)
            {
                rows.Add(new LineRow(line.LineId, line.Name, line.Config.Address, line.Config.Transport.ToString().ToLowerInvariant(),
                    line.Config.MaxChannels, line.ChannelsInUse.Count, line.Health.ToString().ToLowerInvariant()));
            }
        }

        return TypedResults.Ok(rows);
    }

    private static async Task<Ok<List<RobotRow>>> RobotsAsync(ClaimsPrincipal user, PostgresEventStore store, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var rows = new List<RobotRow>();
        foreach (var streamId in await StreamsAsync(dataSource, user.Tenant(), Deciders.Robot.StreamType, cancellationToken))
        {
            var (state, _) = await CommandRunner.LoadAsync(store, Deciders.Robot, user.Tenant(), streamId, cancellationToken);
            if (state is Robot.Active robot)
            {
                rows.Add(new RobotRow(robot.RobotId, robot.Name, robot.Script.ScriptId, robot.Script.Version, robot.Voice, robot.Capacity));
            }
        }

        return TypedResults.Ok(rows);
    }

    private static async Task<List<string>> StreamsAsync(NpgsqlDataSource dataSource, string tenant, string type, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select id from es_streams where tenant_id = $1 and type = $2 and not is_archived order by created, id limit 1000");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(type);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
