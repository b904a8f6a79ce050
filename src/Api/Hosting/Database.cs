using Aicc.EventStore.Schema;
using Npgsql;

namespace Aicc.Api.Hosting;

/// <summary>Opens the platform's PostgreSQL data source and brings its schema up to date.</summary>
public static class Database
{
    public static NpgsqlDataSource Open(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "aicc";
        }

        return new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
    }

    /// <summary>
    /// Applies the embedded schema scripts of every project that owns tables, in dependency
    /// order (event store first: projections and handlers build on its tables).
    /// </summary>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        foreach (var assembly in SchemaOwners)
        {
            await SchemaMigrator.ApplyAsync(dataSource, assembly, cancellationToken);
        }
    }

    private static readonly System.Reflection.Assembly[] SchemaOwners =
    [
        typeof(SchemaMigrator).Assembly,
        typeof(Aicc.Handlers.Messaging.Scheduling.MessageScheduler).Assembly,
        typeof(Aicc.Projections.Access.AccessReadModel).Assembly,
        typeof(Database).Assembly,
    ];
}
