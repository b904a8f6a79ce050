using System.Security.Claims;
using Aicc.Domain.Employees;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Employees.RevokingApiKey;

/// <summary>
/// DELETE /api/v1/employees/{id}/api-keys/{keyId}: the key stops authenticating the moment this
/// returns (the credential table is written inline). Revoking twice answers 204 both times.
/// </summary>
public static class RevokeApiKey
{
    public static RouteHandlerBuilder MapRevokeApiKey(this IEndpointRouteBuilder app, string policy) =>
        app.MapDelete("/api/v1/employees/{employeeId:guid}/api-keys/{keyId:guid}", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Employees")
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an employee's API key (admin only).");

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        Guid employeeId, Guid keyId, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var streamId = Deciders.Employee.StreamId(employeeId);
        var (employee, _) = await CommandRunner.LoadAsync(store, Deciders.Employee, tenant, streamId, cancellationToken);
        if (employee is not Employee.Active active)
        {
            return Problems.NotFound("employee", employeeId);
        }

        if (active.Profile.ApiKeys.All(key => key.KeyId != keyId))
        {
            return Problems.NotFound("API key", keyId);
        }

        var result = await CommandRunner.RunAsync(
            store, Deciders.Employee, tenant, streamId,
            new EmployeeCommand.RevokeApiKey(employeeId, keyId, clock.GetUtcNow()),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.NoContent();
    }
}
