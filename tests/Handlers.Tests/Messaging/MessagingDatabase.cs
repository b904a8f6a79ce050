using Aicc.EventStore.Schema;
using Aicc.Handlers.Messaging.Scheduling;
using Aicc.Testing;
using Npgsql;

namespace Aicc.Handlers.Tests.Messaging;

/// <summary>
/// A fresh database with the messaging schema and an effects table in which test handlers
/// record what they did (one row per effect, no unique constraint, so a duplicate shows up).
/// </summary>
public sealed class MessagingDatabase : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();

    public NpgsqlDataSource DataSource => _database.DataSource;

    public string ConnectionString => _database.ConnectionString;

    public NpgsqlDataSource CreateDataSource(Action<NpgsqlConnectionStringBuilder>? configure = null) =>
        _database.CreateDataSource(configure);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await SchemaMigrator.ApplyAsync(DataSource, typeof(MessageScheduler).Assembly);
        await using var command = DataSource.CreateCommand("""
            create table test_effects (
                message_id uuid        not null,
                worker     text        not null,
                attempt    integer     not null,
                note       text        null,
                at         timestamptz not null default clock_timestamp()
            )
            """);
        await command.ExecuteNonQueryAsync();
    }

    public async Task ResetAsync()
    {
        await using var command = DataSource.CreateCommand("""
            truncate scheduled_messages, scheduled_message_dead_letters, outbox_messages, outbox_dead_letters, test_effects
            """);
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    /// <summary>Records an effect in the handler's own transaction, so it commits with the completion.</summary>
    public static async Task RecordEffectAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid messageId, string worker, int attempt, string? note = null)
    {
        await using var command = new NpgsqlCommand(
            "insert into test_effects (message_id, worker, attempt, note) values ($1, $2, $3, $4)", connection, transaction);
        command.Parameters.AddWithValue(messageId);
        command.Parameters.AddWithValue(worker);
        command.Parameters.AddWithValue(attempt);
        command.Parameters.AddWithValue((object?)note ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        var value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T));
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting until {what}.");
            }

            await Task.Delay(25);
        }
    }
}

/// <summary>A clock the test moves by hand, so that due times and back-off are checked without sleeping.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
