using System.Security.Claims;
using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Lines.ReconfiguringLine;

/// <summary>
/// PUT /api/v1/lines/{id}: the line's gateway address, transport, caller-ID rules and channel
/// cap, all at once (credentials keep PUT .../credentials and are never returned). Calls in
/// progress are not cut; a lowered cap blocks new calls until enough have ended.
/// </summary>
public static class ReconfigureLine
{
    /// <summary>Every setting, as a PUT replaces them: address (host[:port]), transport, max channels, caller-ID rules.</summary>
    public sealed record Request(string? Address, string? Transport, int? MaxChannels, CallerIdRequest? CallerId);

    /// <summary>
    /// Where the presented number comes from (<c>taskNumberPool</c>, <c>fixed</c> with
    /// <c>fixedNumber</c>, <c>tenantDefault</c>) and the digits the carrier wants before the callee.
    /// </summary>
    public sealed record CallerIdRequest(string? Mode, string? FixedNumber, string? DialPrefix);

    /// <summary>The caller-ID rules as the API shows them.</summary>
    public sealed record CallerIdResponse(string Mode, string? FixedNumber, string? DialPrefix);

    /// <summary>The line after the change; <c>hasPassword</c> tells whether a password is stored, never what it is.</summary>
    public sealed record Response(
        Guid Id, string Name, string Address, string Transport, int MaxChannels, int ChannelsInUse, CallerIdResponse CallerId,
        string? Username, bool HasPassword, long Version);

    public static RouteHandlerBuilder MapReconfigureLine(this IEndpointRouteBuilder app, string policy) =>
        app.MapPut("/api/v1/lines/{lineId:guid}", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Lines")
            .WithName("ReconfigureLine")
            .WithSummary("Replace the line's address, transport, max channels and caller-ID rules (credentials have their own endpoint and are kept). " +
                "If-Match: a line ETag; 409 only when the settings changed since it (channel use moves the ETag without making it stale).");

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid lineId, Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Address))
        {
            errors["address"] = ["Required: the gateway's host[:port]."];
        }

        var transport = LineTransport.Udp;
        if (request.Transport is null
            || int.TryParse(request.Transport, out _) || !Enum.TryParse(request.Transport.Trim(), ignoreCase: true, out transport) || !Enum.IsDefined(transport))
        {
            errors["transport"] = ["One of udp, tcp, tls, websocket, securewebsocket."];
        }

        if (request.MaxChannels is not >= 1)
        {
            errors["maxChannels"] = ["At least 1."];
        }

        var callerId = CallerIdRules(request.CallerId, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenant = user.Tenant();
        var command = new LineCommand.ChangeSettings(lineId, request.Address!.Trim(), transport, callerId!, request.MaxChannels!.Value, clock.GetUtcNow());
        var result = await LineSettingsWrite.RunAsync(store, tenant, lineId, Versions.IfMatch(http.Request), command,
            new EventMetadata(User: user.EmployeeKey()), cancellationToken);
        if (result is null)
        {
            return Problems.NotFound("line", lineId);
        }

        var changed = (Line.Active)result.State;
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Ok(new Response(lineId, changed.Name, changed.Config.Address, changed.Config.Transport.ToString().ToLowerInvariant(),
            changed.Config.MaxChannels, changed.ChannelsInUse.Count, Show(changed.Config.CallerId), changed.Config.Credentials?.Username,
            changed.Config.Credentials is not null, result.Version));
    }

    /// <summary>The caller-ID rules as the API writes them.</summary>
    public static CallerIdResponse Show(CallerIdRules rules) =>
        new(ModeName(rules.Mode), rules.FixedNumber?.E164, rules.DialPrefix);

    private static string ModeName(CallerIdMode mode) => mode switch
    {
        CallerIdMode.TaskNumberPool => "taskNumberPool",
        CallerIdMode.Fixed => "fixed",
        CallerIdMode.TenantDefault => "tenantDefault",
        _ => mode.ToString(),
    };

    private static CallerIdRules? CallerIdRules(CallerIdRequest? request, Dictionary<string, string[]> errors)
    {
        if (request is null)
        {
            errors["callerId"] = ["Required: { mode, fixedNumber, dialPrefix }."];
            return null;
        }

        var modes = Enum.GetValues<CallerIdMode>().ToDictionary(ModeName, m => m, StringComparer.OrdinalIgnoreCase);
        if (request.Mode is null || !modes.TryGetValue(request.Mode.Trim(), out var mode))
        {
            errors["callerId.mode"] = ["One of taskNumberPool, fixed, tenantDefault."];
            return null;
        }

        PhoneNumber? fixedNumber = null;
        if (mode == CallerIdMode.Fixed)
        {
            if (!PhoneNumber.TryParse(request.FixedNumber, out fixedNumber, out var failure))
            {
                errors["callerId.fixedNumber"] = [$"The fixed mode needs a phone number: {PhoneNumber.Describe(failure)}."];
            }
        }
        else if (!string.IsNullOrWhiteSpace(request.FixedNumber))
        {
            errors["callerId.fixedNumber"] = ["Only the fixed mode has a number."];
        }

        var prefix = string.IsNullOrEmpty(request.DialPrefix) ? null : request.DialPrefix;
        if (prefix is not null && !prefix.All(char.IsAsciiDigit))
        {
            errors["callerId.dialPrefix"] = ["Digits only."];
        }

        return new CallerIdRules(mode, fixedNumber, prefix);
    }
}
