namespace Aicc.Domain.Employees;

/// <summary>Everything that happens to a member of staff's account; one stream per employee.</summary>
public abstract record EmployeeEvent
{
    private EmployeeEvent()
    {
    }

    /// <summary>An account was opened; the password arrives already slow-hashed.</summary>
    public sealed record Registered(
        Guid EmployeeId,
        Guid TenantId,
        string Login,
        string DisplayName,
        EmployeeRole Role,
        string PasswordHash,
        DateTimeOffset RegisteredAt) : EmployeeEvent;

    /// <summary>What the employee may do from now on.</summary>
    public sealed record RoleChanged(Guid EmployeeId, EmployeeRole Role, DateTimeOffset ChangedAt) : EmployeeEvent;

    /// <summary>Earlier passwords stop working.</summary>
    public sealed record PasswordChanged(Guid EmployeeId, string PasswordHash, DateTimeOffset ChangedAt) : EmployeeEvent;

    /// <summary>An integration key was issued; only its hash is kept, the key itself was shown once.</summary>
    public sealed record ApiKeyIssued(Guid EmployeeId, Guid KeyId, string Label, string KeyHash, DateTimeOffset IssuedAt)
        : EmployeeEvent;

    /// <summary>The key stops authenticating from this moment.</summary>
    public sealed record ApiKeyRevoked(Guid EmployeeId, Guid KeyId, DateTimeOffset RevokedAt) : EmployeeEvent;

    /// <summary>The person left or lost access; their history stays, their credentials stop working.</summary>
    public sealed record Deactivated(Guid EmployeeId, DateTimeOffset DeactivatedAt) : EmployeeEvent;
}
