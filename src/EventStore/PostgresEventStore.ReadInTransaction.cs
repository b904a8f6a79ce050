using Npgsql;

namespace Aicc.EventStore;

public sealed partial class PostgresEventStore
{
    /// <summary>
    /// One stream's events read on the caller's connection and transaction, so a command decided
    /// inside a unit of work sees that unit's own earlier appends.
    /// </summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string tenant, string streamId, long fromVersion = 1,
        CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(
            $"select {EventColumns} from es_events where tenant_id = $1 and stream_id = $2 and version >= $3 order by version",
            connection, transaction);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(streamId);
        command.Parameters.AddWithValue(fromVersion);
        return await ReadEventsAsync(command, cancellationToken);
    }
}
