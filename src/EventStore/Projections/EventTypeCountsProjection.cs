using Npgsql;
using NpgsqlTypes;

namespace Aicc.EventStore.Projections;

/// <summary>
/// Counts events per tenant, stream type and event type (table <c>es_event_type_counts</c>):
/// a generic analyst view of what the platform records, and a real projection for the daemon
/// to run and rebuild before any domain projection exists.
/// </summary>
public sealed class EventTypeCountsProjection : IAsyncProjection
{
    public const string ProjectionName = "event-type-counts";

    public string Name => ProjectionName;

    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        // One upsert per distinct key per batch instead of one per event.
        var groups = events
            .GroupBy(e => (e.Tenant, e.StreamType, e.TypeName))
            .Select(g => (g.Key, Count: (long)g.Count(), First: g.Min(e => e.Timestamp), Last: g.Max(e => e.Timestamp), Position: g.Max(e => e.Position)))
            .ToList();
        await using var command = new NpgsqlCommand("""
            insert into es_event_type_counts as c (tenant_id, stream_type, event_type, events, first_at, last_at, last_position)
            select * from unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[], $7::bigint[])
            on conflict (tenant_id, stream_type, event_type) do update set
                events = c.events + excluded.events,
                first_at = least(c.first_at, excluded.first_at),
                last_at = greatest(c.last_at, excluded.last_at),
                last_position = greatest(c.last_position, excluded.last_position)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = groups.Select(g => g.Key.Tenant).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = groups.Select(g => g.Key.StreamType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = groups.Select(g => g.Key.TypeName).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = groups.Select(g => g.Count).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = groups.Select(g => g.First).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = groups.Select(g => g.Last).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = groups.Select(g => g.Position).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ResetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("truncate es_event_type_counts", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
