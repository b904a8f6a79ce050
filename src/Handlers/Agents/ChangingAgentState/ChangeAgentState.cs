using System.Security.Claims;
using Aicc.Domain.Agents;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Agents.ChangingAgentState;

/// <summary>
/// POST /api/v1/agents/{id}/state: the agent at the seat goes ready or not ready (an offline
/// agent going ready logs in); a supervisor or admin may force someone else's seat not ready.
/// Any other caller changing a seat that is not theirs is forbidden.
/// </summary>
public static class ChangeAgentState
{
    public const string Ready = "ready";
    public const string NotReady = "not_ready";

    /// <summary>The body: <c>ready</c> or <c>not_ready</c>, with a reason for not ready.</summary>
    public sealed record Request(string? State, string? Reason);

    /// <summary>The seat's presence after the command.</summary>
    public sealed record Response(Guid Id, string State, string? Reason, DateTimeOffset? Since, long Version);

    public static RouteHandlerBuilder MapChangeAgentState(this IEndpointRouteBuilder app, string policy) =>
        app.MapPost("/api/v1/agents/{agentId:guid}/state", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Agents")
            .WithName("ChangeAgentState")
            .WithSummary("Set a seat ready or not ready (the agent themself); supervisors and admins may force another seat not ready.");

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> HandleAsync(
        Guid agentId, Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var state = request.State?.Trim().ToLowerInvariant();
        if (state is not (Ready or NotReady))
        {
            errors["state"] = ["Either ready or not_ready."];
        }

        if (state == NotReady && string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["Required when not ready."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenant = user.Tenant();
        var streamId = Deciders.Agent.StreamId(agentId);
        var (current, _) = await CommandRunner.LoadAsync(store, Deciders.Agent, tenant, streamId, cancellationToken);
        if (current is Agent.None)
        {
            return Problems.NotFound("agent", agentId);
        }

        var profile = current switch
        {
            Agent.Active a => a.Profile,
            Agent.Removed r => r.Profile,
            _ => throw new InvalidOperationException("Unreachable agent state."),
        };
        var self = profile.EmployeeId == user.EmployeeId();
        var supervises = user.IsInRole("supervisor") || user.IsInRole("admin");
        var now = clock.GetUtcNow();
        AgentCommand? command = (state, self) switch
        {
            (Ready, true) when current is Agent.Active { Presence: AgentPresence.Offline } => new AgentCommand.LogIn(agentId, now),
            (Ready, true) => new AgentCommand.MakeReady(agentId, now),
            (NotReady, true) => new AgentCommand.MakeNotReady(agentId, request.Reason!, now),
            (NotReady, false) when supervises => new AgentCommand.ForceNotReady(agentId, user.EmployeeId(), request.Reason!, now),
            _ => null,
        };
        if (command is null)
        {
            return TypedResults.Forbid();
        }

        var result = await CommandRunner.RunAsync(
            store, Deciders.Agent, tenant, streamId, command,
            expectedVersion: Versions.IfMatch(http.Request),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        Versions.SetETag(http.Response, result.Version);
        var presence = (result.State as Agent.Active)?.Presence;
        return TypedResults.Ok(new Response(agentId, AgentStates.Name(result.State), (presence as AgentPresence.NotReady)?.Reason, presence?.Since, result.Version));
    }
}
