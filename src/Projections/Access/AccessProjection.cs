using Aicc.Domain.Employees;
using Aicc.Domain.Tenants;
using Aicc.EventStore;
using Npgsql;

namespace Aicc.Projections.Access;

/// <summary>
/// Keeps the credential tables in step with employee events inside the append's transaction,
/// so a key or password works (or stops working) the moment the command returns.
/// </summary>
public sealed class AccessProjection : IInlineProjection
{
    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var recorded in events)
        {
            if (recorded.Data is TenantEvent tenantEvent)
            {
                await ApplyTenantAsync(connection, transaction, recorded.Tenant, tenantEvent, cancellationToken);
                continue;
            }

            if (recorded.Data is not EmployeeEvent e)
            {
                continue;
            }

            var (sql, parameters) = e switch
            {
                EmployeeEvent.Registered r => (
                    """
                    insert into access_employees (tenant, employee_id, login, display_name, roles, password_hash, active, updated_at)
                    values ($1, $2, $3, $4, $5, $6, true, $7)
                    on conflict (tenant, employee_id) do update set login = excluded.login, display_name = excluded.display_name,
                        roles = excluded.roles, password_hash = excluded.password_hash, active = true, updated_at = excluded.updated_at
                    """,
                    new object[] { recorded.Tenant, r.EmployeeId.ToString(), r.Login, r.DisplayName, new[] { RoleName(r.Role) }, r.PasswordHash, r.RegisteredAt }),
                EmployeeEvent.RoleChanged r => (
                    "update access_employees set roles = $3, updated_at = $4 where tenant = $1 and employee_id = $2",
                    new object[] { recorded.Tenant, r.EmployeeId.ToString(), new[] { RoleName(r.Role) }, r.ChangedAt }),
                EmployeeEvent.PasswordChanged r => (
                    "update access_employees set password_hash = $3, updated_at = $4 where tenant = $1 and employee_id = $2",
                    new object[] { recorded.Tenant, r.EmployeeId.ToString(), r.PasswordHash, r.ChangedAt }),
                EmployeeEvent.Deactivated r => (
                    "update access_employees set active = false, updated_at = $3 where tenant = $1 and employee_id = $2",
                    new object[] { recorded.Tenant, r.EmployeeId.ToString(), r.DeactivatedAt }),
                EmployeeEvent.ApiKeyIssued r => (
                    """
                    insert into access_api_keys (key_hash, key_id, tenant, employee_id, label, created_at)
                    values ($1, $2, $3, $4, $5, $6) on conflict (key_hash) do nothing
                    """,
                    new object[] { r.KeyHash, r.KeyId.ToString(), recorded.Tenant, r.EmployeeId.ToString(), r.Label, r.IssuedAt }),
                EmployeeEvent.ApiKeyRevoked r => (
                    "update access_api_keys set revoked_at = $3 where tenant = $1 and key_id = $2 and revoked_at is null",
                    new object[] { recorded.Tenant, r.KeyId.ToString(), r.RevokedAt }),
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

    /// <summary>Suspension takes effect for every credential of the tenant in the same transaction.</summary>
    private static async Task ApplyTenantAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, TenantEvent e, CancellationToken cancellationToken)
    {
        (bool? Suspended, string? Reason, DateTimeOffset At) change = e switch
        {
            TenantEvent.Created c => (false, null, c.CreatedAt),
            TenantEvent.Suspended c => (true, c.Reason, c.SuspendedAt),
            TenantEvent.Activated c => (false, null, c.ActivatedAt),
            _ => (null, null, default),
        };
        var (suspended, reason, at) = change;
        if (suspended is null)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            """
            insert into access_tenants (tenant, suspended, reason, updated_at) values ($1, $2, $3, $4)
            on conflict (tenant) do update set suspended = excluded.suspended, reason = excluded.reason, updated_at = excluded.updated_at
            """, connection, transaction);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(suspended.Value);
        command.Parameters.AddWithValue((object?)reason ?? DBNull.Value);
        command.Parameters.AddWithValue(at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Role names as the API's policies spell them.</summary>
    public static string RoleName(EmployeeRole role) => role.ToString().ToLowerInvariant();
}
