using System.Security.Claims;
using Aicc.Domain.Lines;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Aicc.Handlers.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Lines.CreatingLine;

/// <summary>
/// POST /api/v1/lines: a line on a gateway or trunk, so tasks can name it: address, transport,
/// channel cap, dial prefix and optionally the trunk's digest credentials. The password is
/// sealed (<see cref="LineSecrets"/>) before the event is written and never returned.
/// </summary>
public static class CreateLine
{
    /// <summary>The body: name, gateway address (host[:port]), transport (udp|tcp|tls|...), channel cap, and trunk username and password (both or neither).</summary>
    public sealed record Request(string? Name, string? Address, string? Transport, int? MaxChannels, string? DialPrefix, string? Username = null, string? Password = null);

    /// <summary>The new line; <c>hasPassword</c> tells whether a password is stored, never what it is.</summary>
    public sealed record Response(Guid Id, string Name, string Address, string Transport, int MaxChannels, string? Username, bool HasPassword, long Version);

    public static RouteHandlerBuilder MapCreateLine(this IEndpointRouteBuilder app, string policy) =>
        app.MapPost("/api/v1/lines", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Lines")
            .WithName("CreateLine")
            .WithSummary("Add a line (gateway address, transport, max concurrent channels, optional trunk username and password: stored encrypted, never returned). Send Idempotency-Key to make retries safe.");

    public static async Task<Results<Created<Response>, ValidationProblem>> HandleAsync(
        Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, LineSecrets secrets, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["Required."];
        }

        if (string.IsNullOrWhiteSpace(request.Address))
        {
            errors["address"] = ["Required: the gateway's host[:port]."];
        }

        var transport = LineTransport.Udp;
        if (request.Transport is not null
            && (int.TryParse(request.Transport, out _) || !Enum.TryParse(request.Transport.Trim(), ignoreCase: true, out transport) || !Enum.IsDefined(transport)))
        {
            errors["transport"] = ["One of udp, tcp, tls, websocket, securewebsocket."];
        }

        if (request.MaxChannels is not { } maxChannels || maxChannels < 1)
        {
            errors["maxChannels"] = ["At least 1."];
        }

        if (request.DialPrefix is { Length: > 0 } prefix && !prefix.All(char.IsAsciiDigit))
        {
            errors["dialPrefix"] = ["Digits only."];
        }

        CheckCredentials(request.Username, request.Password, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenant = user.Tenant();
        var lineId = IdempotencyKeys.DeriveId(tenant, "line", http.IdempotencyKey());
        var credentials = await ProtectAsync(store, secrets, user.TenantId(), lineId, request.Username, request.Password, cancellationToken);
        var config = new LineConfig(
            request.Address!.Trim(), transport, credentials,
            new CallerIdRules(CallerIdMode.TaskNumberPool, null, string.IsNullOrEmpty(request.DialPrefix) ? null : request.DialPrefix),
            request.MaxChannels!.Value);
        var result = await CommandRunner.RunAsync(
            store, Deciders.Line, tenant, Deciders.Line.StreamId(lineId),
            new LineCommand.Create(lineId, user.TenantId(), request.Name!, config, clock.GetUtcNow()),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        var line = (Line.Active)result.State;
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Created($"/api/v1/lines/{lineId}",
            new Response(lineId, line.Name, line.Config.Address, line.Config.Transport.ToString().ToLowerInvariant(), line.Config.MaxChannels,
                line.Config.Credentials?.Username, line.Config.Credentials is not null, result.Version));
    }

    /// <summary>Username and password come together; a password is never blank.</summary>
    public static void CheckCredentials(string? username, string? password, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(username) != string.IsNullOrEmpty(password))
        {
            errors[string.IsNullOrWhiteSpace(username) ? "username" : "password"] = ["Username and password go together."];
        }
    }

    /// <summary>
    /// Seals the password for this line. A retried create of a line that already holds the same
    /// password keeps its ciphertext (a fresh nonce would make the retry look like another line).
    /// </summary>
    public static async Task<LineCredentials?> ProtectAsync(
        PostgresEventStore store, LineSecrets secrets, Guid tenantId, Guid lineId, string? username, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var (state, _) = await CommandRunner.LoadAsync(store, Deciders.Line, Deciders.TenantKey(tenantId), Deciders.Line.StreamId(lineId), cancellationToken);
        if (state is Line.Active { Config.Credentials: { } existing } && existing.Username == username.Trim()
            && secrets.RevealPassword(tenantId, lineId, existing) == password)
        {
            return existing;
        }

        return secrets.Protect(tenantId, lineId, username.Trim(), password);
    }
}
