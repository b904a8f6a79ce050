using System.Security.Claims;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Agents;

/// <summary>
/// The agent board: every seat of the caller's tenant with its presence and since when, read
/// from the inline agent_board table (so it reflects a state change the moment it is made);
/// a wrapping-up seat also shows when its wrap-up ends (from the floor projection).
/// </summary>
public static class AgentQueries
{
    /// <summary>One seat on the board; <see cref="AfterCallWorkUntil"/> is when wrap-up ends, while the seat wraps up.</summary>
    public sealed record AgentRow(
        Guid Id, Guid EmployeeId, string DisplayName, IReadOnlyList<string> SkillGroups, string State, string? Reason,
        Guid? ForcedBy, Guid? CallId, DateTimeOffset Since, long Version, DateTimeOffset? AfterCallWorkUntil = null);

    /// <summary>The board and its counts per state.</summary>
    public sealed record AgentBoard(IReadOnlyList<AgentRow> Agents, IReadOnlyDictionary<string, int> Counts);

    public static IEndpointRouteBuilder MapAgentQueries(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/agents", BoardAsync).RequireAuthorization(policy).WithTags("Agents").WithName("AgentBoard")
            .WithSummary("The agent board: every seat's state (offline, ready, not_ready, ringing, on_call, after_call_work) and since when; filter by state or skill group.");
        return app;
    }

    private static async Task<Ok<AgentBoard>> BoardAsync(
        ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken cancellationToken, string? state = null, string? skillGroup = null)
    {
        await using var command = dataSource.CreateCommand(
            """
            select b.agent_id, b.employee_id, b.display_name, b.skill_groups, b.state, b.reason, b.forced_by, b.call_id, b.since, b.version, w.until
            from agent_board b
            left join floor_agent_wrapup w on w.tenant = b.tenant and w.agent_id = b.agent_id and w.call_id = b.call_id and b.state = 'after_call_work'
            where b.tenant = $1 and not b.removed and ($2::text is null or b.state = $2) and ($3::text is null or $3 = any (b.skill_groups))
            order by b.display_name, b.agent_id
            """);
        command.Parameters.AddWithValue(user.Tenant());
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)state ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)skillGroup ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var rows = new List<AgentRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AgentRow(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetGuid(6),
                reader.IsDBNull(7) ? null : reader.GetGuid(7),
                reader.GetFieldValue<DateTimeOffset>(8), reader.GetInt64(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
        }

        var counts = rows.GroupBy(row => row.State).ToDictionary(group => group.Key, group => group.Count());
        return TypedResults.Ok(new AgentBoard(rows, counts));
    }
}
