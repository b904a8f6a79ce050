using System.Security.Claims;
using Aicc.Domain.Agents;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Aicc.Handlers.Switchboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Handlers.Agents.SettingSipCredentials;

/// <summary>
/// PUT /api/v1/agents/{id}/sip-credentials: the username and password the seat's softphone
/// registers with at the platform's registrar, under the tenant's SIP domain. The password is
/// turned into the Digest HA1s for that domain here and never stored; the registrar checks
/// REGISTERs against the seat's account at once (inline projection). A supervisor or admin sets
/// them, or the agent for their own seat.
/// </summary>
public static class SetAgentSipCredentials
{
    /// <summary>The body: a SIP username (letters, digits, . _ -) and a password of 8+ characters.</summary>
    public sealed record Request(string? Username, string? Password);

    /// <summary>Where the phone registers: the address-of-record and the Digest realm.</summary>
    public sealed record Response(Guid Id, string Username, string AddressOfRecord, string Realm, long Version);

    public static RouteHandlerBuilder MapSetAgentSipCredentials(this IEndpointRouteBuilder app, string policy) =>
        app.MapPut("/api/v1/agents/{agentId:guid}/sip-credentials", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Agents")
            .WithName("SetAgentSipCredentials")
            .WithSummary("Set the SIP username and password the seat's softphone registers with (supervisors, admins, or the agent themself).");

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> HandleAsync(
        Guid agentId, Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var username = request.Username?.Trim() ?? "";
        if (username.Length is 0 or > 64 || !username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            errors["username"] = ["1-64 letters, digits, '.', '_' or '-'."];
        }

        if (request.Password is not { Length: >= 8 and <= 128 })
        {
            errors["password"] = ["8 to 128 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenant = user.Tenant();
        var streamId = Deciders.Agent.StreamId(agentId);
        var (current, _) = await CommandRunner.LoadAsync(store, Deciders.Agent, tenant, streamId, cancellationToken);
        if (current is not Agent.Active active)
        {
            return Problems.NotFound("agent", agentId);
        }

        var supervises = user.IsInRole("supervisor") || user.IsInRole("admin");
        if (!supervises && active.Profile.EmployeeId != user.EmployeeId())
        {
            return TypedResults.Forbid();
        }

        var domains = http.RequestServices.GetService<AgentSipDomains>() ?? AgentSipDomains.Default;
        var realm = domains.Of(user.TenantId());
        if (await TakenByAnotherSeatAsync(store, realm, username, agentId, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Username taken", detail: $"Another seat registers as {username}@{realm}.", type: "agent.sip_username_taken");
        }

        var result = await CommandRunner.RunAsync(
            store, Deciders.Agent, tenant, streamId,
            new AgentCommand.SetSipCredentials(agentId, username, AgentSipCredentialStore.HashPassword(username, realm, request.Password!), clock.GetUtcNow()),
            expectedVersion: Versions.IfMatch(http.Request),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Ok(new Response(agentId, username, $"sip:{username}@{realm}", realm, result.Version));
    }

    private static async Task<bool> TakenByAnotherSeatAsync(PostgresEventStore store, string realm, string username, Guid agentId, CancellationToken cancellationToken)
    {
        await using var command = store.DataSource.CreateCommand("select exists (select 1 from agent_sip_accounts where realm = $1 and username = $2 and agent_id <> $3)");
        command.Parameters.AddWithValue(realm);
        command.Parameters.AddWithValue(username);
        command.Parameters.AddWithValue(agentId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
