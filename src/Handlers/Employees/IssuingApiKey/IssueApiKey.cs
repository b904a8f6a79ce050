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

namespace Aicc.Handlers.Employees.IssuingApiKey;

/// <summary>
/// POST /api/v1/employees/{id}/api-keys: a key for an integration acting as that employee.
/// The key is in this response only; the event stores its SHA-256 hash. Idempotency-Key
/// replays (middleware) return the same answer rather than minting a second key.
/// </summary>
public static class IssueApiKey
{
    /// <summary>The body: a label saying what the key is for.</summary>
    public sealed record Request(string? Label);

    /// <summary>The key, shown once.</summary>
    public sealed record Response(Guid KeyId, Guid EmployeeId, string Label, string ApiKey, long Version);

    public static RouteHandlerBuilder MapIssueApiKey(this IEndpointRouteBuilder app, string policy) =>
        app.MapPost("/api/v1/employees/{employeeId:guid}/api-keys", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Employees")
            .WithName("IssueApiKey")
            .WithSummary("Issue an API key for an employee (admin only); the key is shown in this response only.");

    public static async Task<Results<Created<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid employeeId, Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var label = request.Label?.Trim() ?? "";
        if (label.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["label"] = ["At most 200 characters."] });
        }

        var tenant = user.Tenant();
        var streamId = Deciders.Employee.StreamId(employeeId);
        var (employee, _) = await CommandRunner.LoadAsync(store, Deciders.Employee, tenant, streamId, cancellationToken);
        if (employee is Employee.None)
        {
            return Problems.NotFound("employee", employeeId);
        }

        var (key, hash) = Secrets.NewApiKey();
        var keyId = Guid.CreateVersion7();
        var result = await CommandRunner.RunAsync(
            store, Deciders.Employee, tenant, streamId,
            new EmployeeCommand.IssueApiKey(employeeId, keyId, label, hash, clock.GetUtcNow()),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Created($"/api/v1/employees/{employeeId}/api-keys/{keyId}", new Response(keyId, employeeId, label, key, result.Version));
    }
}
