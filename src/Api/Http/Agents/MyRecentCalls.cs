using System.Security.Claims;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Agents;

/// <summary>
/// The signed-in agent's own recent calls for the console (newest first), from the call
/// records: who the customer was, the task, how it ended, the disposition, and the recording
/// when the call was recorded. Agents see only their own calls here; supervisors use /calls.
/// </summary>
public static class MyRecentCalls
{
    /// <summary>One of the agent's calls; <see cref="Customer"/> is the other party whatever the direction.</summary>
    public sealed record RecentCall(
        Guid CallId, string Direction, string? Customer, Guid? TaskId, string? TaskName, string State, string? Outcome,
        DateTimeOffset? ConnTime, DateTimeOffset? CloseTime, int Duration, string? Disposition, string? DispositionNote,
        string? RecordingUrl, DateTimeOffset CreatedAt);

    /// <summary>The agent's seat and calls.</summary>
    public sealed record RecentCalls(Guid AgentId, IReadOnlyList<RecentCall> Items);

    public static IEndpointRouteBuilder MapMyRecentCalls(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/agents/me/calls", ListAsync).RequireAuthorization(policy).WithTags("Agent calls").WithName("MyRecentCalls")
            .WithSummary("The signed-in agent's recent calls, newest first (limit 1-100, default 20), with disposition and recording link.");
        return app;
    }

    private static async Task<Results<Ok<RecentCalls>, ValidationProblem, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken cancellationToken, int limit = 20)
    {
        if (limit is < 1 or > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["Between 1 and 100."] });
        }

        var tenant = user.Tenant();
        var seat = await AgentSeats.OfAsync(dataSource, tenant, user.EmployeeId(), cancellationToken);
        if (seat is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "You have no agent seat.");
        }

        await using var command = dataSource.CreateCommand(
            """
            select r.call_id, r.direction, case when r.direction = 'outbound' then r.called else r.caller end, r.task_id, t.name,
                r.state, r.outcome, r.conn_time, r.close_time, r.duration, r.disposition, r.disposition_note, r.recording_url, r.created_at
            from call_records r left join floor_tasks t on t.tenant = r.tenant and t.task_id = r.task_id
            where r.tenant = $1 and r.agent_id = $2
            order by r.created_at desc, r.call_id
            limit $3
            """);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(seat.AgentId);
        command.Parameters.AddWithValue(limit);
        var items = new List<RecentCall>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new RecentCall(
                reader.GetGuid(0), reader.GetString(1), Text(reader, 2), reader.IsDBNull(3) ? null : reader.GetGuid(3), Text(reader, 4),
                reader.GetString(5), Text(reader, 6), Time(reader, 7), Time(reader, 8), reader.GetInt32(9), Text(reader, 10), Text(reader, 11),
                Text(reader, 12), reader.GetFieldValue<DateTimeOffset>(13)));
        }

        return TypedResults.Ok(new RecentCalls(seat.AgentId, items));
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
}
