using System.Security.Claims;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Aicc.Handlers.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aicc.Api.Http.Tenants;

/// <summary>The caller's own tenant (the credential decides which); there is no way to name another.</summary>
public static class TenantQueries
{
    public static IEndpointRouteBuilder MapTenantQueries(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/tenant", GetAsync).RequireAuthorization(policy).WithTags("Tenant").WithName("GetTenant")
            .WithSummary("The caller's tenant: state and settings; the ETag is for If-Match on PUT /api/v1/tenant/settings.");
        return app;
    }

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal user, HttpResponse response, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var (state, version) = await CommandRunner.LoadAsync(store, Deciders.Tenant, user.Tenant(), Deciders.Tenant.StreamId(user.TenantId()), cancellationToken);
        if (TenantView.From(state, version) is not { } view)
        {
            return Problems.NotFound("tenant", user.TenantId());
        }

        Versions.SetETag(response, version);
        return TypedResults.Ok(view);
    }
}
