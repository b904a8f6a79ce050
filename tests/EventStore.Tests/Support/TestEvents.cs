using System.Collections.Concurrent;
using Aicc.EventStore.Projections;
using Aicc.EventStore.Schema;
using Aicc.Testing;
using Npgsql;

namespace Aicc.EventStore.Tests.Support;

public sealed record CallStarted(string CallId, string From, DateTimeOffset At);

public sealed record CallAnswered(string CallId, string Agent, DateTimeOffset At);

public sealed record CallEnded(string CallId, string Reason, DateTimeOffset At);

public sealed record Noted(int N);

/// <summary>Event registry and store set-up shared by the event store tests.</summary>
public static class TestEvents
{
    public static readonly DateTimeOffset At = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    public static EventTypeRegistry Registry() => new EventTypeRegistry()
        .Register<CallStarted>("call.started.v1")
        .Register<CallAnswered>("call.answered.v1")
        .Register<CallEnded>("call.ended.v1")
        .Register<Noted>("test.noted.v1");

    public static async Task<PostgresEventStore> CreateStoreAsync(
        PostgresDatabase database, EventStoreOptions? options = null, NpgsqlDataSource? dataSource = null, EventTypeRegistry? registry = null)
    {
        var source = dataSource ?? database.DataSource;
        await SchemaMigrator.ApplyAsync(source, typeof(PostgresEventStore).Assembly);
        return new PostgresEventStore(source, registry ?? Registry(), options, new ConsoleLoggerFactory());
    }

    public static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the timeout passes; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return await condition();
    }
}

/// <summary>
/// A read model with one row per applied event, keyed by position: applying an event twice
/// fails on the primary key, so the tests see any double application.
/// </summary>
public sealed class EventLogProjection(string name) : IAsyncProjection
{
    public string Name { get; } = name;

    private string Table => "log_" + Name.Replace('-', '_');

    public ConcurrentQueue<long> Applied { get; } = new();

    public async Task EnsureTableAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            $"create table if not exists {Table} (position bigint primary key, tenant_id text not null, stream_id text not null, version bigint not null, type text not null)");
        await command.ExecuteNonQueryAsync();
    }

    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"insert into {Table} select * from unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[])", connection, transaction);
        command.Parameters.AddWithValue(events.Select(e => e.Position).ToArray());
        command.Parameters.AddWithValue(events.Select(e => e.Tenant).ToArray());
        command.Parameters.AddWithValue(events.Select(e => e.StreamId).ToArray());
        command.Parameters.AddWithValue(events.Select(e => e.Version).ToArray());
        command.Parameters.AddWithValue(events.Select(e => e.TypeName).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
        foreach (var e in events)
        {
            Applied.Enqueue(e.Position);
        }
    }

    public async Task ResetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"truncate {Table}", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<List<long>> PositionsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand($"select position from {Table} order by position");
        await using var reader = await command.ExecuteReaderAsync();
        var positions = new List<long>();
        while (await reader.ReadAsync())
        {
            positions.Add(reader.GetInt64(0));
        }

        return positions;
    }
}
