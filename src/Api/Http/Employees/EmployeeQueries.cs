using System.Security.Claims;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Employees;

/// <summary>
/// The tenant's staff as the credential read model knows them (never a hash), and each one's
/// API keys by id and label, so an admin can find the key to revoke.
/// </summary>
public static class EmployeeQueries
{
    /// <summary>One API key's public part.</summary>
    public sealed record ApiKeyRow(Guid KeyId, string Label, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

    /// <summary>One employee.</summary>
    public sealed record EmployeeRow(Guid Id, string Login, string DisplayName, IReadOnlyList<string> Roles, bool Active, IReadOnlyList<ApiKeyRow> ApiKeys);

    public static IEndpointRouteBuilder MapEmployeeQueries(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/employees", ListAsync).RequireAuthorization(policy).WithTags("Employees").WithName("ListEmployees")
            .WithSummary("The tenant's employees with their roles and API keys (ids and labels only).");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<EmployeeRow>>> ListAsync(ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select e.employee_id, e.login, e.display_name, e.roles, e.active, k.key_id, k.label, k.created_at, k.revoked_at
            from access_employees e
            left join access_api_keys k on k.tenant = e.tenant and k.employee_id = e.employee_id
            where e.tenant = $1
            order by lower(e.login), k.created_at
            """);
        command.Parameters.AddWithValue(user.Tenant());
        var employees = new List<EmployeeRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = Guid.Parse(reader.GetString(0));
            if (employees.Count == 0 || employees[^1].Id != id)
            {
                employees.Add(new EmployeeRow(id, reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), reader.GetBoolean(4), new List<ApiKeyRow>()));
            }

            if (!reader.IsDBNull(5))
            {
                ((List<ApiKeyRow>)employees[^1].ApiKeys).Add(new ApiKeyRow(
                    Guid.Parse(reader.GetString(5)), reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7),
                    reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
            }
        }

        return TypedResults.Ok<IReadOnlyList<EmployeeRow>>(employees);
    }
}
