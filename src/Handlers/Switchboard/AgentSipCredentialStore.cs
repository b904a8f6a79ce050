using Aicc.Telephony.Sip.Authentication;
using Npgsql;

namespace Aicc.Handlers.Switchboard;

/// <summary>
/// The platform registrar's credential store: agent seats' SIP accounts (agent_sip_accounts,
/// kept inline from the seats' events), looked up by realm (the tenant's SIP domain, the host
/// of the REGISTER's To) and username. A seat's phone thus registers with the credentials set
/// on the seat, and only under its own tenant's domain.
/// </summary>
public sealed class AgentSipCredentialStore(NpgsqlDataSource dataSource) : ISipCredentialStore
{
    public async ValueTask<SipStoredCredential?> FindAsync(string realm, string user, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("select ha1_md5, ha1_sha256 from agent_sip_accounts where realm = $1 and username = $2");
        command.Parameters.AddWithValue(realm.ToLowerInvariant());
        command.Parameters.AddWithValue(user);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SipStoredCredential(user, realm, reader.GetString(0), reader.GetString(1))
            : null;
    }

    /// <summary>The stored form of a seat's SIP password for its tenant's domain (what SetSipCredentials carries).</summary>
    public static string HashPassword(string user, string realm, string password) =>
        new Domain.Agents.SipDigestSecret(
            realm.ToLowerInvariant(),
            Digest.Ha1(DigestAlgorithm.Md5, user, realm.ToLowerInvariant(), password),
            Digest.Ha1(DigestAlgorithm.Sha256, user, realm.ToLowerInvariant(), password)).ToString();
}
