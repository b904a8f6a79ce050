using Npgsql;

namespace Aicc.Api.Http.Agents;

/// <summary>The signed-in employee's seat on the agent board, which "me" endpoints act for.</summary>
internal static class AgentSeats
{
    public sealed record Seat(Guid AgentId, string State, Guid? CallId, DateTimeOffset Since);

    public static async Task<Seat?> OfAsync(NpgsqlDataSource dataSource, string tenant, Guid employeeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select agent_id, state, call_id, since from agent_board where tenant = $1 and employee_id = $2 and not removed order by since desc limit 1");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(employeeId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Seat(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }
}
