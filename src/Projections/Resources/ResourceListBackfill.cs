using Aicc.EventStore;
using Npgsql;

namespace Aicc.Projections.Resources;

/// <summary>
/// Fills line_list and robot_list from the line and robot streams that existed before these
/// inline read models did (an installation upgraded in place), once. The tables are locked
/// for the duration, so an append that projects into them waits and lands after the backfill
/// instead of being overwritten by older history.
/// </summary>
public static class ResourceListBackfill
{
    private const string Name = "resource_lists.v1";

    public static async Task RunAsync(PostgresEventStore store, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockTables = new NpgsqlCommand("lock table inline_backfills, line_list, robot_list in exclusive mode", connection, transaction))
        {
            await lockTables.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var done = new NpgsqlCommand("select 1 from inline_backfills where name = $1", connection, transaction))
        {
            done.Parameters.AddWithValue(Name);
            if (await done.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return;
            }
        }

        var streams = new List<(string Tenant, string Stream)>();
        await using (var list = new NpgsqlCommand(
                         "select tenant_id, id from es_streams where type in ('line', 'robot') order by created, id", connection, transaction))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                streams.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var projection = new ResourceListProjection();
        foreach (var (tenant, stream) in streams)
        {
            var events = await store.ReadStreamAsync(connection, transaction, tenant, stream, 1, cancellationToken);
            await projection.ApplyAsync(connection, transaction, events, cancellationToken);
        }

        await using (var mark = new NpgsqlCommand("insert into inline_backfills (name) values ($1)", connection, transaction))
        {
            mark.Parameters.AddWithValue(Name);
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
