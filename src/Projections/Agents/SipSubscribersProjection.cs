using Aicc.Domain.Agents;
using Aicc.EventStore;
using Npgsql;

namespace Aicc.Projections.Agents;

/// <summary>
/// The table the SIP edge (kamailio's auth_db over db_postgres) checks REGISTERs against: one
/// row per seat with credentials, keyed by SIP username. Inline, because the console provisions
/// credentials and registers right after; a removed seat loses its row, so its phone cannot
/// register again.
/// </summary>
public sealed class SipSubscribersProjection : IInlineProjection
{
    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var recorded in events)
        {
            switch (recorded.Data)
            {
                case AgentEvent.SipCredentialsSet set:
                {
                    // A seat has one username: a changed one replaces the old row.
                    await using (var stale = new NpgsqlCommand(
                        "delete from sip_subscribers where tenant = $1 and agent_id = $2 and username <> $3", connection, transaction))
                    {
                        stale.Parameters.AddWithValue(recorded.Tenant);
                        stale.Parameters.AddWithValue(set.AgentId);
                        stale.Parameters.AddWithValue(set.Username);
                        await stale.ExecuteNonQueryAsync(cancellationToken);
                    }

                    await using var upsert = new NpgsqlCommand(
                        """
                        insert into sip_subscribers (username, domain, ha1, tenant, agent_id, version)
                        values ($1, $2, $3, $4, $5, $6)
                        on conflict (username) do update set domain = excluded.domain, ha1 = excluded.ha1, version = excluded.version
                        where sip_subscribers.tenant = excluded.tenant and sip_subscribers.agent_id = excluded.agent_id
                        """, connection, transaction);
                    upsert.Parameters.AddWithValue(set.Username);
                    upsert.Parameters.AddWithValue(SoftphoneAddress.Domain(Guid.Parse(recorded.Tenant)));
                    upsert.Parameters.AddWithValue(set.PasswordHash);
                    upsert.Parameters.AddWithValue(recorded.Tenant);
                    upsert.Parameters.AddWithValue(set.AgentId);
                    upsert.Parameters.AddWithValue(recorded.Version);
                    await upsert.ExecuteNonQueryAsync(cancellationToken);
                    break;
                }

                case AgentEvent.Removed removed:
                {
                    await using var delete = new NpgsqlCommand(
                        "delete from sip_subscribers where tenant = $1 and agent_id = $2", connection, transaction);
                    delete.Parameters.AddWithValue(recorded.Tenant);
                    delete.Parameters.AddWithValue(removed.AgentId);
                    await delete.ExecuteNonQueryAsync(cancellationToken);
                    break;
                }
            }
        }
    }
}
