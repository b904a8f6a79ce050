using Aicc.Domain.Robots;
using Aicc.EventStore;
using Npgsql;

namespace Aicc.Projections.Robots;

/// <summary>
/// The inbound routing table (dialled number to tenant and robot), kept in the append's
/// transaction: an INVITE arrives without a tenant, and the number a robot was just given must
/// route at once. A robot's new number replaces its old one; a retired robot's number is freed.
/// </summary>
public sealed class InboundNumbersProjection : IInlineProjection
{
    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var recorded in events)
        {
            switch (recorded.Data)
            {
                case RobotEvent.InboundNumberAssigned assigned:
                {
                    await using var free = new NpgsqlCommand(
                        "delete from inbound_numbers where tenant = $1 and robot_id = $2", connection, transaction);
                    free.Parameters.AddWithValue(recorded.Tenant);
                    free.Parameters.AddWithValue(assigned.RobotId);
                    await free.ExecuteNonQueryAsync(cancellationToken);
                    await using var insert = new NpgsqlCommand(
                        """
                        insert into inbound_numbers (number, tenant, robot_id, line_id, overflow_skill_group, assigned_at)
                        values ($1, $2, $3, $4, $5, $6)
                        """, connection, transaction);
                    insert.Parameters.AddWithValue(assigned.Number);
                    insert.Parameters.AddWithValue(recorded.Tenant);
                    insert.Parameters.AddWithValue(assigned.RobotId);
                    insert.Parameters.AddWithValue(assigned.LineId);
                    insert.Parameters.Add(new NpgsqlParameter { Value = (object?)assigned.OverflowSkillGroup ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                    insert.Parameters.AddWithValue(assigned.AssignedAt);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                    break;
                }

                case RobotEvent.Retired retired:
                {
                    await using var free = new NpgsqlCommand(
                        "delete from inbound_numbers where tenant = $1 and robot_id = $2", connection, transaction);
                    free.Parameters.AddWithValue(recorded.Tenant);
                    free.Parameters.AddWithValue(retired.RobotId);
                    await free.ExecuteNonQueryAsync(cancellationToken);
                    break;
                }
            }
        }
    }
}

/// <summary>Reads the inbound routing table.</summary>
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
