using System.Security.Claims;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Tenants;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicc.Handlers.Tenants.ChangingTenantSettings;

/// <summary>
/// PUT /api/v1/tenant/settings: an admin changes the defaults the tenant's tasks and calls
/// inherit. Fields left out stay as they are; every bad field is named and nothing is applied.
/// The time zone is checked against the host's time-zone database here, since the domain has none.
/// </summary>
public static class ChangeTenantSettings
{
    /// <summary>
    /// <c>timeZone</c>: an IANA id such as Asia/Shanghai; <c>defaultCallerId</c>: a phone number,
    /// or "" to clear it; <c>recordCalls</c>: whether calls are recorded.
    /// </summary>
    public sealed record Request(string? TimeZone, string? DefaultCallerId, bool? RecordCalls);

    public static RouteHandlerBuilder MapChangeTenantSettings(this IEndpointRouteBuilder app, string policy) =>
        app.MapPut("/api/v1/tenant/settings", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Tenant")
            .WithName("ChangeTenantSettings")
            .WithSummary("Change the tenant's time zone, default caller ID or recording (fields left out are unchanged). If-Match: the tenant's ETag (409 on mismatch).");

    public static async Task<Results<Ok<TenantView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var streamId = Deciders.Tenant.StreamId(user.TenantId());
        var (state, loadedVersion) = await CommandRunner.LoadAsync(store, Deciders.Tenant, tenant, streamId, cancellationToken);
        var current = state switch
        {
            Tenant.Active a => a.Settings,
            Tenant.Suspended s => s.Settings,
            _ => null,
        };
        if (current is null)
        {
            return Problems.NotFound("tenant", user.TenantId());
        }

        var errors = new Dictionary<string, string[]>();
        var settings = current;
        if (request.TimeZone is not null)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone.Trim(), out var zone) || !zone.HasIanaId)
            {
                errors["timeZone"] = ["An IANA time zone id, such as Asia/Shanghai."];
            }
            else
            {
                settings = settings with { TimeZone = zone.Id };
            }
        }

        if (request.DefaultCallerId is not null)
        {
            if (request.DefaultCallerId.Trim().Length == 0)
            {
                settings = settings with { DefaultCallerId = null };
            }
            else if (PhoneNumber.TryParse(request.DefaultCallerId, out var number, out var failure))
            {
                settings = settings with { DefaultCallerId = number };
            }
            else
            {
                errors["defaultCallerId"] = [PhoneNumber.Describe(failure)];
            }
        }

        if (request.RecordCalls is { } record)
        {
            settings = settings with { RecordCalls = record };
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await CommandRunner.RunAsync(
            store, Deciders.Tenant, tenant, streamId,
            new TenantCommand.ChangeSettings(user.TenantId(), settings, user.EmployeeId(), clock.GetUtcNow()),
            // The command replaces all settings with ones merged from what was loaded, so without
            // If-Match it still expects that version: a concurrent change is a 409, never overwritten.
            expectedVersion: Versions.IfMatch(http.Request) ?? loadedVersion,
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Ok(TenantView.From(result.State, result.Version)!);
    }
}
