using System.Collections.Immutable;
using Aicc.Domain.Dialing;
using Npgsql;

namespace Aicc.Handlers.Dialing;

/// <summary>
/// Ready and busy agents of a skill group, from the agent board (the inline read model written
/// in the same transaction as each agent event, so it never lags the agents' commands): what
/// progressive, power and predictive pacing size their calls by.
/// </summary>
public static class AgentFloor
{
    public static async Task<(int Ready, ImmutableArray<BusyAgent> Busy)> ReadAsync(
        NpgsqlDataSource dataSource, string tenant, string skillGroup, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select state, since from agent_board
            where tenant = $1 and not removed and $2 = any(skill_groups) and state in ('ready', 'on_call', 'after_call_work')
            """);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(skillGroup);
        var ready = 0;
        var busy = ImmutableArray.CreateBuilder<BusyAgent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var elapsed = Math.Max(0, (now - reader.GetFieldValue<DateTimeOffset>(1)).TotalSeconds);
            switch (reader.GetString(0))
            {
                case "ready":
                    ready++;
                    break;
                case "on_call":
                    busy.Add(new BusyAgent(AgentPhase.Talking, elapsed));
                    break;
                default:
                    busy.Add(new BusyAgent(AgentPhase.WrappingUp, elapsed));
                    break;
            }
        }

        return (ready, busy.ToImmutable());
    }
}
