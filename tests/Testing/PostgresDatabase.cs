using Npgsql;
using Xunit;

namespace Aicc.Testing;

/// <summary>
/// A database of its own for one test class (use as <c>IClassFixture&lt;PostgresDatabase&gt;</c>),
/// created on the real PostgreSQL cluster that ./test starts and dropped afterwards.
/// There is no fallback: without <c>AICC_TEST_CONNECTION</c> the tests fail and say how to run them.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public string Name { get; } = "aicc_test_" + Guid.NewGuid().ToString("N")[..16];

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Database not created yet.");

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("AICC_TEST_CONNECTION")
        ?? Environment.GetEnvironmentVariable("AICC_CONNECTION")
        ?? throw new InvalidOperationException(
            "AICC_TEST_CONNECTION is not set: run the tests through ./test, which starts the private PostgreSQL cluster.");

    public async Task InitializeAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false };
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {Name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString)
        {
            Database = Name,
            ApplicationName = "aicc-tests",
        }.ConnectionString;
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>A data source with settings of the test's own (e.g. a smaller pool) on the same database.</summary>
    public NpgsqlDataSource CreateDataSource(Action<NpgsqlConnectionStringBuilder>? configure = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        configure?.Invoke(builder);
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false };
        await using var admin = new NpgsqlConnection(server.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {Name} with (force)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
