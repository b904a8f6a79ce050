namespace Aicc.Domain.Employees;

/// <summary>
/// What admins ask of staff accounts. Hashes are computed by the handler (slow password hash,
/// API key hash): the domain never sees a secret and stays free of randomness.
/// </summary>
public abstract record EmployeeCommand
{
    private EmployeeCommand()
    {
    }

    /// <summary>An admin adds a member of staff; the password arrives already slow-hashed.</summary>
    public sealed record Register(
        Guid EmployeeId,
        Guid TenantId,
        string Login,
        string DisplayName,
        EmployeeRole Role,
        string PasswordHash,
        DateTimeOffset Now) : EmployeeCommand;

    /// <summary><paramref name="ActiveAdminCount"/> is the tenant's active admins, this employee included, loaded beforehand.</summary>
    public sealed record ChangeRole(Guid EmployeeId, EmployeeRole Role, int ActiveAdminCount, DateTimeOffset Now)
        : EmployeeCommand;

    /// <summary>The employee or an admin sets a new password (hash computed outside).</summary>
    public sealed record ChangePassword(Guid EmployeeId, string PasswordHash, DateTimeOffset Now) : EmployeeCommand;

    /// <summary>A key for an integration; the caller shows the key once and sends only its hash here.</summary>
    public sealed record IssueApiKey(Guid EmployeeId, Guid KeyId, string Label, string KeyHash, DateTimeOffset Now)
        : EmployeeCommand;

    /// <summary>The key stops authenticating; repeating the revoke changes nothing.</summary>
    public sealed record RevokeApiKey(Guid EmployeeId, Guid KeyId, DateTimeOffset Now) : EmployeeCommand;

    /// <summary><paramref name="ActiveAdminCount"/> is the tenant's active admins, this employee included, loaded beforehand.</summary>
    public sealed record Deactivate(Guid EmployeeId, int ActiveAdminCount, DateTimeOffset Now) : EmployeeCommand;
}
