using Aicc.Domain.Common;

namespace Aicc.Domain.Employees;

/// <summary>Decides staff account commands, guarding the "at least one admin per tenant" rule.</summary>
public static class EmployeeDecider
{
    public static Employee Initial => Employee.Initial;

    public static Decider<EmployeeCommand, EmployeeEvent, Employee> Definition { get; } = new(Decide, Evolve, Initial);

    public static Employee Evolve(Employee state, EmployeeEvent @event) => Employee.Evolve(state, @event);

    public static IReadOnlyList<EmployeeEvent> Decide(EmployeeCommand command, Employee state) => (command, state) switch
    {
        (EmployeeCommand.Register c, Employee.None) => [Register(c)],
        (EmployeeCommand.Register c, Employee.Active s) when s.Profile.Login == c.Login.Trim() => [],
        (EmployeeCommand.Register, _) => throw new DomainException(
            "employee.already_exists", "An employee with this id already exists."),
        (_, Employee.None) => throw new DomainException("employee.not_found", "The employee does not exist."),

        (EmployeeCommand.Deactivate, Employee.Deactivated) => [],
        (_, Employee.Deactivated) => throw new DomainException(
            "employee.deactivated", "The employee is deactivated."),

        (EmployeeCommand.ChangeRole c, Employee.Active s) => ChangeRole(c, s.Profile),
        (EmployeeCommand.ChangePassword c, Employee.Active s) => ChangePassword(c, s.Profile),
        (EmployeeCommand.IssueApiKey c, Employee.Active s) => IssueApiKey(c, s.Profile),
        (EmployeeCommand.RevokeApiKey c, Employee.Active s) => RevokeApiKey(c, s.Profile),
        (EmployeeCommand.Deactivate c, Employee.Active s) => Deactivate(c, s.Profile),

        _ => throw new DomainException("employee.unsupported", $"{command.GetType().Name} is not possible now."),
    };

    private static EmployeeEvent Register(EmployeeCommand.Register c)
    {
        if (string.IsNullOrWhiteSpace(c.Login))
        {
            throw new DomainException("employee.login_required", "An employee needs a login name.");
        }

        RequireKnownRole(c.Role);
        RequireHash(c.PasswordHash, "employee.password_required");
        var displayName = string.IsNullOrWhiteSpace(c.DisplayName) ? c.Login.Trim() : c.DisplayName.Trim();
        return new EmployeeEvent.Registered(
            c.EmployeeId, c.TenantId, c.Login.Trim(), displayName, c.Role, c.PasswordHash, c.Now);
    }

    private static IReadOnlyList<EmployeeEvent> ChangeRole(EmployeeCommand.ChangeRole c, EmployeeProfile profile)
    {
        RequireKnownRole(c.Role);
        if (c.Role == profile.Role)
        {
            return [];
        }

        RequireAnotherAdmin(profile, c.ActiveAdminCount);
        return [new EmployeeEvent.RoleChanged(c.EmployeeId, c.Role, c.Now)];
    }

    private static IReadOnlyList<EmployeeEvent> ChangePassword(EmployeeCommand.ChangePassword c, EmployeeProfile profile)
    {
        RequireHash(c.PasswordHash, "employee.password_required");
        return c.PasswordHash == profile.PasswordHash ? [] : [new EmployeeEvent.PasswordChanged(c.EmployeeId, c.PasswordHash, c.Now)];
    }

    private static IReadOnlyList<EmployeeEvent> IssueApiKey(EmployeeCommand.IssueApiKey c, EmployeeProfile profile)
    {
        RequireHash(c.KeyHash, "employee.api_key_hash_required");
        var existing = profile.ApiKeys.FirstOrDefault(key => key.KeyId == c.KeyId);
        if (existing is not null)
        {
            return existing.KeyHash == c.KeyHash
                ? []
                : throw new DomainException("employee.api_key_conflict", "Another key was already issued under this key id.");
        }

        var label = string.IsNullOrWhiteSpace(c.Label) ? "api key" : c.Label.Trim();
        return [new EmployeeEvent.ApiKeyIssued(c.EmployeeId, c.KeyId, label, c.KeyHash, c.Now)];
    }

    private static IReadOnlyList<EmployeeEvent> RevokeApiKey(EmployeeCommand.RevokeApiKey c, EmployeeProfile profile)
    {
        var key = profile.ApiKeys.FirstOrDefault(key => key.KeyId == c.KeyId)
            ?? throw new DomainException("employee.api_key_not_found", "The employee has no API key with this id.");
        return key.IsActive ? [new EmployeeEvent.ApiKeyRevoked(c.EmployeeId, c.KeyId, c.Now)] : [];
    }

    private static IReadOnlyList<EmployeeEvent> Deactivate(EmployeeCommand.Deactivate c, EmployeeProfile profile)
    {
        RequireAnotherAdmin(profile, c.ActiveAdminCount);
        return [new EmployeeEvent.Deactivated(c.EmployeeId, c.Now)];
    }

    /// <summary>Losing an admin is fine only while another active admin remains.</summary>
    private static void RequireAnotherAdmin(EmployeeProfile profile, int activeAdminCount)
    {
        if (profile.Role == EmployeeRole.Admin && activeAdminCount <= 1)
        {
            throw new DomainException("employee.last_admin", "A tenant must keep at least one active admin.");
        }
    }

    private static void RequireKnownRole(EmployeeRole role)
    {
        if (!Enum.IsDefined(role))
        {
            throw new DomainException("employee.unknown_role", $"'{role}' is not a role.");
        }
    }

    private static void RequireHash(string hash, string code)
    {
        if (string.IsNullOrWhiteSpace(hash))
        {
            throw new DomainException(code, "A hash is required.");
        }
    }
}
