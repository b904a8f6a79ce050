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
