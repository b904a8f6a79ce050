using Npgsql;

namespace Aicc.Projections.Access;

/// <summary>
/// Who a credential belongs to: the tenant and roles every API request is scoped by, and whether
/// a platform operator suspended that tenant (its credentials are then refused, its data kept).
/// </summary>
public sealed record Principal(string Tenant, string EmployeeId, string Login, IReadOnlyList<string> Roles, bool TenantSuspended = false);

/// <summary>
/// Credential look-ups for authentication. The tables are written by the access projection
/// (employee events) and by login/logout; this class only reads and manages sessions.
/// </summary>
public sealed class AccessReadModel(NpgsqlDataSource dataSource)
{
    /// <summary>The active employee an unrevoked API key (given by its hash) belongs to, if any.</summary>
    public async Task<Principal?> FindByApiKeyHashAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select e.tenant, e.employee_id, e.login, e.roles, coalesce(t.suspended, false)
            from access_api_keys k
            join access_employees e on e.tenant = k.tenant and e.employee_id = k.employee_id
            left join access_tenants t on t.tenant = e.tenant
            where k.key_hash = $1 and k.revoked_at is null and e.active
            """);
        command.Parameters.AddWithValue(keyHash);
        return await ReadPrincipalAsync(command, cancellationToken);
    }

    /// <summary>The employee of an unexpired session token (given by its hash), if any.</summary>
    public async Task<Principal?> FindBySessionHashAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select e.tenant, e.employee_id, e.login, e.roles, coalesce(t.suspended, false)
            from access_sessions s
            join access_employees e on e.tenant = s.tenant and e.employee_id = s.employee_id
            left join access_tenants t on t.tenant = e.tenant
            where s.token_hash = $1 and s.expires_at > $2 and e.active
            """);
        command.Parameters.AddWithValue(tokenHash);
        command.Parameters.AddWithValue(now);
        return await ReadPrincipalAsync(command, cancellationToken);
    }

    /// <summary>Login look-up: the stored password hash and principal for a tenant's login name.</summary>
    public async Task<(Principal Principal, string PasswordHash)?> FindLoginAsync(string tenant, string login, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select e.tenant, e.employee_id, e.login, e.roles, e.password_hash, coalesce(t.suspended, false)
            from access_employees e
            left join access_tenants t on t.tenant = e.tenant
            where e.tenant = $1 and lower(e.login) = lower($2) and e.active and e.password_hash is not null
            """);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(login);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return (new Principal(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), reader.GetBoolean(5)), reader.GetString(4));
    }

    public async Task CreateSessionAsync(string tokenHash, Principal principal, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var insert = new NpgsqlBatchCommand(
            "insert into access_sessions (token_hash, tenant, employee_id, created_at, expires_at) values ($1, $2, $3, $4, $5)");
        insert.Parameters.AddWithValue(tokenHash);
        insert.Parameters.AddWithValue(principal.Tenant);
        insert.Parameters.AddWithValue(principal.EmployeeId);
        insert.Parameters.AddWithValue(now);
        insert.Parameters.AddWithValue(expiresAt);
        var purge = new NpgsqlBatchCommand("delete from access_sessions where expires_at < $1");
        purge.Parameters.AddWithValue(now);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(purge);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteSessionAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("delete from access_sessions where token_hash = $1");
        command.Parameters.AddWithValue(tokenHash);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Principal?> ReadPrincipalAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new Principal(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), reader.GetBoolean(4));
    }
}
