using System.Security.Claims;
using Aicc.Domain.Agents;
using Aicc.Domain.Common;
using Aicc.Domain.Employees;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Agents.CreatingAgent;

/// <summary>
/// POST /api/v1/agents: a human seat for one of the tenant's employees. The employee is loaded
/// from its stream under the caller's tenant, so another tenant's employee is simply not found.
/// The seat starts offline and appears on the board at once (inline projection).
/// </summary>
public static class CreateAgent
{
    /// <summary>The body: whose seat, the name the board shows (default: the employee's), skill groups.</summary>
    public sealed record Request(Guid? EmployeeId, string? DisplayName, IReadOnlyList<string>? SkillGroups);

    /// <summary>The new seat.</summary>
    public sealed record Response(Guid Id, Guid EmployeeId, string DisplayName, IReadOnlyList<string> SkillGroups, string State, long Version);

    public static RouteHandlerBuilder MapCreateAgent(this IEndpointRouteBuilder app, string policy) =>
        app.MapPost("/api/v1/agents", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Agents")
            .WithName("CreateAgent")
            .WithSummary("Create a human seat for an employee, with skill groups. Send Idempotency-Key to make retries safe.");

    public static async Task<Results<Created<Response>, ValidationProblem>> HandleAsync(
        Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.EmployeeId is null || request.EmployeeId == Guid.Empty)
        {
            errors["employeeId"] = ["Required."];
        }

        if (request.SkillGroups?.Any(string.IsNullOrWhiteSpace) == true)
        {
            errors["skillGroups"] = ["Skill group names cannot be empty."];
        }

        if (request.DisplayName is { Length: > 200 })
        {
            errors["displayName"] = ["At most 200 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenant = user.Tenant();
        var employeeId = request.EmployeeId!.Value;
        var (employee, _) = await CommandRunner.LoadAsync(store, Deciders.Employee, tenant, Deciders.Employee.StreamId(employeeId), cancellationToken);
        if (employee is not Employee.Active active)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["employeeId"] = [$"No active employee {employeeId} in this tenant."],
            });
        }

        var agentId = IdempotencyKeys.DeriveId(tenant, "agent", http.IdempotencyKey());
        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? active.Profile.DisplayName : request.DisplayName;
        var result = await CommandRunner.RunAsync(
            store, Deciders.Agent, tenant, Deciders.Agent.StreamId(agentId),
            new AgentCommand.Create(agentId, user.TenantId(), employeeId, displayName, (request.SkillGroups ?? []).ToValueList(), clock.GetUtcNow()),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        var profile = ((Agent.Active)result.State).Profile;
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Created(
            $"/api/v1/agents/{agentId}",
            new Response(agentId, profile.EmployeeId, profile.DisplayName, profile.SkillGroups, AgentStates.Name(result.State), result.Version));
    }
}
