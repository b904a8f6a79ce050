using Aicc.Domain.Lines;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Npgsql;

namespace Aicc.Projections.Resources;

/// <summary>
/// Line and robot-seat lists, updated in the append's transaction: a list read right after a
/// command sees it, and listing no longer folds every stream of the type. The channel count
/// comes from the events' own after-counts, so the row always equals the stream's state.
/// </summary>
public sealed class ResourceListProjection : IInlineProjection
{
    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var recorded in events)
        {
            var (sql, parameters) = recorded.Data switch
            {
                LineEvent e => Line(recorded, e),
                RobotEvent e => Robot(recorded, e),
                _ => (null, []),
            };
            if (sql is null)
            {
                continue;
            }

            await using var command = new NpgsqlCommand(sql, connection, transaction);
            foreach (var value in parameters)
            {
                command.Parameters.AddWithValue(value);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>How a transport is written on the wire (<c>udp</c>).</summary>
    public static string TransportName(LineTransport transport) => transport.ToString().ToLowerInvariant();

    private static (string?, object[]) Line(RecordedEvent recorded, LineEvent e) => e switch
    {
        LineEvent.Created c => (
            """
            insert into line_list (tenant, line_id, name, address, transport, max_channels, username, version, created_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing
            """,
            [recorded.Tenant, c.LineId, c.Name, c.Config.Address, TransportName(c.Config.Transport), c.Config.MaxChannels,
                (object?)c.Config.Credentials?.Username ?? DBNull.Value, recorded.Version, c.CreatedAt]),
        LineEvent.Reconfigured c => (
            """
            update line_list set address = $3, transport = $4, max_channels = $5, username = $6, version = $7
            where tenant = $1 and line_id = $2
            """,
            [recorded.Tenant, c.LineId, c.Config.Address, TransportName(c.Config.Transport), c.Config.MaxChannels,
                (object?)c.Config.Credentials?.Username ?? DBNull.Value, recorded.Version]),
        LineEvent.ChannelSeized c => (
            "update line_list set channels_in_use = $3, version = $4 where tenant = $1 and line_id = $2",
            [recorded.Tenant, c.LineId, c.InUse, recorded.Version]),
        LineEvent.ChannelReleased c => (
            "update line_list set channels_in_use = $3, version = $4 where tenant = $1 and line_id = $2",
            [recorded.Tenant, c.LineId, c.InUse, recorded.Version]),
        LineEvent.WentUp c => (
            "update line_list set health = 'up', version = $3 where tenant = $1 and line_id = $2",
            [recorded.Tenant, c.LineId, recorded.Version]),
        LineEvent.WentDown c => (
            "update line_list set health = 'down', version = $3 where tenant = $1 and line_id = $2",
            [recorded.Tenant, c.LineId, recorded.Version]),
        LineEvent.Retired c => (
            "update line_list set active = false, version = $3 where tenant = $1 and line_id = $2",
            [recorded.Tenant, c.LineId, recorded.Version]),
        _ => (null, []),
    };

    private static (string?, object[]) Robot(RecordedEvent recorded, RobotEvent e) => e switch
    {
        RobotEvent.Created c => (
            """
            insert into robot_list (tenant, robot_id, name, script_id, script_version, voice, capacity, version, created_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing
            """,
            [recorded.Tenant, c.RobotId, c.Name, c.Script.ScriptId, c.Script.Version, c.Voice, c.Capacity, recorded.Version, c.CreatedAt]),
        RobotEvent.ScriptPinned c => (
            "update robot_list set script_id = $3, script_version = $4, version = $5 where tenant = $1 and robot_id = $2",
            [recorded.Tenant, c.RobotId, c.Script.ScriptId, c.Script.Version, recorded.Version]),
        RobotEvent.VoiceChanged c => (
            "update robot_list set voice = $3, version = $4 where tenant = $1 and robot_id = $2",
            [recorded.Tenant, c.RobotId, c.Voice, recorded.Version]),
        RobotEvent.CapacityChanged c => (
            "update robot_list set capacity = $3, version = $4 where tenant = $1 and robot_id = $2",
            [recorded.Tenant, c.RobotId, c.Capacity, recorded.Version]),
        RobotEvent.Retired c => (
            "update robot_list set active = false, version = $3 where tenant = $1 and robot_id = $2",
            [recorded.Tenant, c.RobotId, recorded.Version]),
        _ => (null, []),
    };
}
