using System.Text.Json.Serialization;
using Aicc.Domain.Common;

namespace Aicc.Domain.Employees;

/// <summary>
/// A member of a tenant's staff (seed 000: every enterprise has employees in roles, at least one
/// of them an admin). Holds what authentication needs: the password hash and API key hashes.
/// </summary>
public abstract record Employee
{
    private Employee()
    {
    }

    public sealed record None : Employee;

    public sealed record Active(EmployeeProfile Profile) : Employee;

    public sealed record Deactivated(EmployeeProfile Profile) : Employee;

    public static Employee Initial { get; } = new None();

    public static Employee Evolve(Employee state, EmployeeEvent @event) => (state, @event) switch
    {
        (None, EmployeeEvent.Registered e) => new Active(new EmployeeProfile(
            e.EmployeeId, e.TenantId, e.Login, e.DisplayName, e.Role, e.PasswordHash, ValueList<ApiKey>.Empty)),
        (Active s, EmployeeEvent.RoleChanged e) => s with { Profile = s.Profile with { Role = e.Role } },
        (Active s, EmployeeEvent.PasswordChanged e) => s with { Profile = s.Profile with { PasswordHash = e.PasswordHash } },
        (Active s, EmployeeEvent.ApiKeyIssued e) => s with
        {
            Profile = s.Profile with
            {
                ApiKeys = s.Profile.ApiKeys.Add(new ApiKey(e.KeyId, e.Label, e.KeyHash, e.IssuedAt, null)),
            },
        },
        (Active s, EmployeeEvent.ApiKeyRevoked e) => s with
        {
            Profile = s.Profile with
            {
                ApiKeys = s.Profile.ApiKeys
                    .Select(key => key.KeyId == e.KeyId ? key with { RevokedAt = e.RevokedAt } : key)
                    .ToValueList(),
            },
        },
        (Active s, EmployeeEvent.Deactivated) => new Deactivated(s.Profile),
        _ => state,
    };
}

/// <summary>The account data that survives deactivation (for audit and call records).</summary>
public sealed record EmployeeProfile(
    Guid EmployeeId,
    Guid TenantId,
    string Login,
    string DisplayName,
    EmployeeRole Role,
    string PasswordHash,
    ValueList<ApiKey> ApiKeys);

/// <summary>One integration key; revoked keys stay listed so a repeated revoke is recognised.</summary>
public sealed record ApiKey(Guid KeyId, string Label, string KeyHash, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>What an employee may do; the API authorises by it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EmployeeRole>))]
public enum EmployeeRole
{
    /// <summary>Manages the tenant: staff, settings, everything below.</summary>
    Admin = 1,

    /// <summary>Watches and steers agents (force not-ready, listen in).</summary>
    Supervisor,

    /// <summary>Takes calls at a seat.</summary>
    Agent,

    /// <summary>Manages tasks, scripts and numbers (seed 002's operations staff).</summary>
    Operator,
}
