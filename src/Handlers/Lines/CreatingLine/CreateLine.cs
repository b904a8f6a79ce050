using System.Security.Claims;
using Aicc.Domain.Lines;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Lines.CreatingLine;

/// <summary>
/// POST /api/v1/lines: a line on a gateway or trunk, so tasks can name it. Minimal on purpose:
/// address, transport, channel cap, caller-ID mode. Registration credentials need the
/// encryption the domain expects (ProtectedPassword) and come with the telephony work.
/// </summary>
public static class CreateLine
{
    /// <summary>The body: name, gateway address (host[:port]), transport (udp|tcp|tls|...), channel cap.</summary>
    public sealed record Request(string? Name, string? Address, string? Transport, int? MaxChannels, string? DialPrefix);

    /// <summary>The new line.</summary>
    public sealed record Response(Guid Id, string Name, string Address, string Transport, int MaxChannels, long Version);

    public static RouteHandlerBuilder MapCreateLine(this IEndpointRouteBuilder app, string policy) =>
        app.MapPost("/api/v1/lines", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Lines")
            .WithName("CreateLine")
            .WithSummary("Add a line (gateway address, transport, max concurrent channels). Send Idempotency-Key to make retries safe.");

    public static async Task<Results<Created<Response>, ValidationProblem>> HandleAsync(
        Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
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

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenant = user.Tenant();
        var lineId = IdempotencyKeys.DeriveId(tenant, "line", http.IdempotencyKey());
        var config = new LineConfig(
            request.Address!.Trim(), transport, null,
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
            new Response(lineId, line.Name, line.Config.Address, line.Config.Transport.ToString().ToLowerInvariant(), line.Config.MaxChannels, result.Version));
    }
}
