using System.Text.Json;
using Npgsql;

namespace Aicc.EventStore;

public sealed partial class PostgresEventStore
{
    /// <summary>
    /// Stores <paramref name="state"/> as the stream's snapshot at <paramref name="version"/>,
    /// so that folding a long stream starts there. <paramref name="snapshotName"/> names the
    /// state's shape (e.g. <c>call-state.v1</c>); a snapshot under another name is ignored, so a
    /// changed state shape only needs a new name. A newer snapshot is never replaced by an older one.
    /// </summary>
    public async Task SaveSnapshotAsync<TState>(
        string tenant, string streamId, string snapshotName, TState state, long version, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand("""
            insert into es_snapshots (tenant_id, stream_id, version, type, data) values ($1, $2, $3, $4, $5::jsonb)
            on conflict (tenant_id, stream_id) do update
                set version = excluded.version, type = excluded.type, data = excluded.data, created = now()
                where es_snapshots.version <= excluded.version or es_snapshots.type <> excluded.type
            """);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(streamId);
        command.Parameters.AddWithValue(version);
        command.Parameters.AddWithValue(snapshotName);
        command.Parameters.AddWithValue(JsonSerializer.Serialize(state, Registry.SerializerOptions));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<AggregateResult<TState>?> LoadSnapshotAsync<TState>(
        string tenant, string streamId, string snapshotName, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            "select version, data::text from es_snapshots where tenant_id = $1 and stream_id = $2 and type = $3");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(streamId);
        command.Parameters.AddWithValue(snapshotName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var state = JsonSerializer.Deserialize<TState>(reader.GetString(1), Registry.SerializerOptions);
        return state is null ? null : new AggregateResult<TState>(state, reader.GetInt64(0));
    }
}
