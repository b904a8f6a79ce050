using Aicc.Domain.Scripts;
using Aicc.EventStore;
using Npgsql;

namespace Aicc.Projections.Scripts;

/// <summary>
/// The tenant's scripts with their newest version, updated in the append's transaction so the
/// list never lags an upload; reading a version's document goes to its event instead.
/// </summary>
public sealed class ScriptListProjection : IInlineProjection
{
    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var recorded in events)
        {
            var (sql, parameters) = recorded.Data switch
            {
                ScriptEvent.Created e => (
                    """
                    insert into script_list (tenant, script_id, key, name, language, version, created_at, updated_at)
                    values ($1, $2, '', $3, $4, $5, $6, $6) on conflict do nothing
                    """,
                    new object[] { recorded.Tenant, e.ScriptId, e.Name, e.Language, recorded.Version, e.CreatedAt }),
                ScriptEvent.VersionPublished e => (
                    """
                    update script_list set key = $3, name = coalesce(nullif(trim($4), ''), name), language = $5,
                        latest_version = greatest(latest_version, $6), version = $7, updated_at = $8
                    where tenant = $1 and script_id = $2
                    """,
                    new object[] { recorded.Tenant, e.ScriptId, e.Document.Id, e.Document.Name ?? string.Empty, e.Document.Language, e.Version, recorded.Version, e.PublishedAt }),
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
}
