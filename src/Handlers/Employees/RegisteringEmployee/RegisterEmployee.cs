using System.Security.Claims;
using Aicc.Domain.Employees;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Aicc.Handlers.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Aicc.Handlers.Employees.RegisteringEmployee;

/// <summary>
/// POST /api/v1/employees: an admin adds a member of staff with a role, a login and a password.
/// The password is slow-hashed here (the domain never sees it). Logins are unique per tenant;
/// the credential table enforces it, and a taken login answers 409 instead of a second account.
/// </summary>
public static class RegisterEmployee
{
    public const int MinPasswordLength = 8;

    /// <summary>The body of a registration.</summary>
    public sealed record Request(string? Login, string? Password, string? Role, string? DisplayName);

    /// <summary>The new employee (never the password).</summary>
    public sealed record Response(Guid Id, string Login, string DisplayName, string Role, long Version);

    public static RouteHandlerBuilder MapRegisterEmployee(this IEndpointRouteBuilder app, string policy) =>
        app.MapPost("/api/v1/employees", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Employees")
            .WithName("RegisterEmployee")
            .WithSummary("Add an employee (admin only): role admin|supervisor|agent|operator, login and password.");

    public static async Task<Results<Created<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var login = request.Login?.Trim();
        if (string.IsNullOrEmpty(login) || login.Length > 100)
        {
            errors["login"] = [string.IsNullOrEmpty(login) ? "Required." : "At most 100 characters."];
        }

        if (string.IsNullOrEmpty(request.Password) || request.Password.Length < MinPasswordLength)
        {
            errors["password"] = [$"At least {MinPasswordLength} characters."];
        }

        if (!TryParseRole(request.Role, out var role))
        {
            errors["role"] = ["One of admin, supervisor, agent, operator."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenant = user.Tenant();
        var employeeId = IdempotencyKeys.DeriveId(tenant, "employee", http.IdempotencyKey());
        var (existing, _) = await CommandRunner.LoadAsync(store, Deciders.Employee, tenant, Deciders.Employee.StreamId(employeeId), cancellationToken);
        if (existing is Employee.None && await LoginTakenAsync(store.DataSource, tenant, login!, cancellationToken))
        {
            return LoginTaken(login!);
        }

        try
        {
            var result = await CommandRunner.RunAsync(
                store, Deciders.Employee, tenant, Deciders.Employee.StreamId(employeeId),
                new EmployeeCommand.Register(employeeId, user.TenantId(), login!, request.DisplayName ?? "", role, Secrets.HashPassword(request.Password!), clock.GetUtcNow()),
                metadata: new EventMetadata(User: user.EmployeeKey()),
                cancellationToken: cancellationToken);
            var profile = ((Employee.Active)result.State).Profile;
            Versions.SetETag(http.Response, result.Version);
            return TypedResults.Created(
                $"/api/v1/employees/{employeeId}",
                new Response(employeeId, profile.Login, profile.DisplayName, RoleName(profile.Role), result.Version));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Two registrations of one login raced past the check; the credential table let one win.
            return LoginTaken(login!);
        }
    }

    public static string RoleName(EmployeeRole role) => role.ToString().ToLowerInvariant();

    private static bool TryParseRole(string? value, out EmployeeRole role)
    {
        role = default;
        return !string.IsNullOrWhiteSpace(value)
            && !int.TryParse(value, out _)
            && Enum.TryParse(value.Trim(), ignoreCase: true, out role)
            && Enum.IsDefined(role);
    }

    private static ProblemHttpResult LoginTaken(string login) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Login taken", detail: $"The login '{login}' is already used in this tenant.");

    private static async Task<bool> LoginTakenAsync(NpgsqlDataSource dataSource, string tenant, string login, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select exists (select 1 from access_employees where tenant = $1 and lower(login) = lower($2))");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(login);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
