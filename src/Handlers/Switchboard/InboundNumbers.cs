using Npgsql;

namespace Aicc.Handlers.Switchboard;

/// <summary>Reads the inbound routing table (kept in the append transaction by InboundNumbersProjection).</summary>
public static class InboundNumbers
{
    /// <summary>Where a dialled number goes.</summary>
    public sealed record Route(string Number, Guid TenantId, Guid RobotId, Guid LineId, string? OverflowSkillGroup);

    /// <summary>
    /// The route for <paramref name="called"/> as the carrier presented it: exact first, then the
    /// same number with or without a leading + (trunks differ in how they send E.164).
    /// </summary>
    public static async Task<Route?> FindAsync(NpgsqlDataSource dataSource, string called, CancellationToken cancellationToken)
    {
        var number = called.Trim();
        if (number.Length == 0)
        {
            return null;
        }

        var other = number.StartsWith('+') ? number[1..] : "+" + number;
        await using var command = dataSource.CreateCommand(
            """
            select number, tenant, robot_id, line_id, overflow_skill_group from inbound_numbers
            where number = $1 or number = $2 order by (number = $1) desc limit 1
            """);
        command.Parameters.AddWithValue(number);
        command.Parameters.AddWithValue(other);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new Route(
            reader.GetString(0), Guid.Parse(reader.GetString(1)), reader.GetGuid(2), reader.GetGuid(3),
            reader.IsDBNull(4) ? null : reader.GetString(4));
    }
}
