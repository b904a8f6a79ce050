using System.Reflection;
using Npgsql;

namespace Aicc.EventStore.Schema;

/// <summary>
/// Applies the embedded, idempotent <c>*.sql</c> scripts of an assembly in name order.
/// Every project that owns tables (event store, projections, scheduler) embeds its own
/// scripts; one runner applies them all under an advisory lock so that several hosts
/// starting at once do not race on DDL.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>Advisory lock key that serialises schema changes across processes.</summary>
    private const long MigrationLockKey = 0x41494343_0001; // "AICC" + 1

    /// <summary>Applies every embedded script whose resource name ends in <c>.sql</c>, in ordinal order.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, Assembly assembly, CancellationToken cancellationToken = default)
    {
        var scripts = assembly.GetManifestResourceNames()
            .Where(name => name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (scripts.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_lock($1)", connection))
        {
            lockCommand.Parameters.AddWithValue(MigrationLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            foreach (var script in scripts)
            {
                await using var stream = assembly.GetManifestResourceStream(script)
                    ?? throw new InvalidOperationException($"Embedded script {script} could not be opened.");
                using var reader = new StreamReader(stream);
                var sql = await reader.ReadToEndAsync(cancellationToken);
                await using var command = new NpgsqlCommand(sql, connection);
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (PostgresException ex)
                {
                    throw new InvalidOperationException($"Schema script {script} failed: {ex.MessageText}", ex);
                }
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock($1)", connection);
            unlock.Parameters.AddWithValue(MigrationLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
