using System.Security.Claims;
using System.Security.Cryptography;
using Aicc.Domain.Agents;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Aicc.Handlers.Switchboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Aicc.Handlers.Agents.ProvisioningSoftphone;

/// <summary>
/// Where the SIP edge is: browsers open <paramref name="WebSocketUrl"/>; the platform sends its
/// INVITEs for agents to <paramref name="SipEndPoint"/> (Request-URI <c>sip:user@tenant-domain</c>,
/// see <see cref="EdgeProxyAgentPhones"/>). Null members: the host runs without an edge.
/// </summary>
public sealed record SoftphoneEdge(string? WebSocketUrl, System.Net.IPEndPoint? SipEndPoint = null);

/// <summary>
/// POST /api/v1/agents/me/softphone: what the signed-in agent's browser phone needs to register
/// at the SIP edge. A seat without credentials (none set with PUT .../sip-credentials) gets them
/// here: its id as username and a random password that is never stored or shown, only its digest
/// HA1s under the tenant's SIP domain (<see cref="AgentSipDomains"/>). The browser answers the
/// edge's challenges with the MD5 HA1; it lets one register as this seat and nothing else, which
/// is what the agent's session already allows.
/// </summary>
public static class ProvisionSoftphone
{
    /// <summary>JsSIP's settings: WebSocket URL, the address of record, and digest user, realm and HA1.</summary>
    public sealed record Response(Guid AgentId, string WebSocketUrl, string Uri, string AuthorizationUser, string Realm, string Ha1, string DisplayName);

    public static RouteHandlerBuilder MapProvisionSoftphone(this IEndpointRouteBuilder app, string policy) =>
        app.MapPost("/api/v1/agents/me/softphone", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Agents")
            .WithName("ProvisionSoftphone")
            .WithSummary("The signed-in agent's browser phone settings (WebSocket URL, SIP URI, digest realm and HA1); gives the seat SIP credentials on first use. 204 when the host has no SIP edge.");

    public static async Task<Results<Ok<Response>, NoContent, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user, HttpContext http, PostgresEventStore store, NpgsqlDataSource dataSource, SoftphoneEdge edge, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(edge.WebSocketUrl))
        {
            // Not an error: this host has no browser phones (no Edge:WebSocketUrl; ./run starts an edge).
            return TypedResults.NoContent();
        }

        var tenant = user.Tenant();
        var agentId = await SeatOfAsync(dataSource, tenant, user.EmployeeId(), cancellationToken);
        if (agentId is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No seat", detail: "You have no agent seat in this tenant.");
        }

        var streamId = Deciders.Agent.StreamId(agentId.Value);
        var realm = (http.RequestServices.GetService(typeof(AgentSipDomains)) as AgentSipDomains ?? AgentSipDomains.Default).Of(user.TenantId());
        for (var attempt = 1; ; attempt++)
        {
            var (state, version) = await CommandRunner.LoadAsync(store, Deciders.Agent, tenant, streamId, cancellationToken);
            if (state is not Agent.Active active)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No seat", detail: "Your agent seat was removed.");
            }

            // Credentials under another realm (the tenant's domain changed) cannot answer this realm's challenges: replace them.
            if (active.Profile.Sip is { } credentials && SipDigestSecret.TryParse(credentials.PasswordHash) is { } secret && secret.Realm == realm)
            {
                return TypedResults.Ok(new Response(
                    agentId.Value, edge.WebSocketUrl, $"sip:{credentials.Username}@{realm}",
                    credentials.Username, realm, secret.Ha1Md5, active.Profile.DisplayName));
            }

            var username = active.Profile.Sip?.Username ?? agentId.Value.ToString("N");
            var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            var ha1 = AgentSipCredentialStore.HashPassword(username, realm, password);
            try
            {
                // Pinned to what we read: if another tab provisioned meanwhile, its credentials win
                // and the next round returns them instead of replacing them.
                await CommandRunner.RunAsync(
                    store, Deciders.Agent, tenant, streamId,
                    new AgentCommand.SetSipCredentials(agentId.Value, username, ha1, clock.GetUtcNow()),
                    expectedVersion: version,
                    metadata: new EventMetadata(User: user.EmployeeKey()),
                    cancellationToken: cancellationToken);
            }
            catch (WrongExpectedVersionException) when (attempt < 5)
            {
                // Someone wrote to the seat's stream first: the next round reads what they stored.
            }
        }
    }

    private static async Task<Guid?> SeatOfAsync(NpgsqlDataSource dataSource, string tenant, Guid employeeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select agent_id from agent_board where tenant = $1 and employee_id = $2 and not removed order by agent_id limit 1");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(employeeId);
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
    }
}
