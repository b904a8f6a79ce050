using Aicc.Domain.Agents;
using Aicc.EventStore;
using Npgsql;

namespace Aicc.Projections.Agents;

/// <summary>
/// Keeps agent_sip_accounts (realm + username -> HA1s) in the append's transaction, so the
/// registrar accepts a seat's phone with the password just set and refuses a removed seat's
/// phone at once. One account per seat: setting new credentials replaces the old ones.
/// </summary>
public sealed class AgentSipAccountsProjection : IInlineProjection
{
    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var recorded in events)
        {
            switch (recorded.Data)
            {
                case AgentEvent.SipCredentialsSet set:
                    await DeleteAsync(connection, transaction, recorded.Tenant, set.AgentId, cancellationToken);
                    if (SipDigestSecret.TryParse(set.PasswordHash) is { } secret)
                    {
                        await using var insert = new NpgsqlCommand(
                            """
                            insert into agent_sip_accounts (realm, username, tenant, agent_id, ha1_md5, ha1_sha256)
                            values ($1, $2, $3, $4, $5, $6)
                            on conflict (realm, username) do update set
                                tenant = excluded.tenant, agent_id = excluded.agent_id, ha1_md5 = excluded.ha1_md5, ha1_sha256 = excluded.ha1_sha256
                            """, connection, transaction);
                        insert.Parameters.AddWithValue(secret.Realm.ToLowerInvariant());
                        insert.Parameters.AddWithValue(set.Username);
                        insert.Parameters.AddWithValue(recorded.Tenant);
                        insert.Parameters.AddWithValue(set.AgentId);
                        insert.Parameters.AddWithValue(secret.Ha1Md5);
                        insert.Parameters.AddWithValue(secret.Ha1Sha256);
                        await insert.ExecuteNonQueryAsync(cancellationToken);
                    }

                    break;
                case AgentEvent.Removed removed:
                    await DeleteAsync(connection, transaction, recorded.Tenant, removed.AgentId, cancellationToken);
                    break;
            }
        }
    }

    private static async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, Guid agentId, CancellationToken cancellationToken)
    {
        await using var delete = new NpgsqlCommand("delete from agent_sip_accounts where tenant = $1 and agent_id = $2", connection, transaction);
        delete.Parameters.AddWithValue(tenant);
        delete.Parameters.AddWithValue(agentId);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
