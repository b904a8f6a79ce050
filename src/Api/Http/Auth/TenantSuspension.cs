using Microsoft.AspNetCore.Http.HttpResults;

namespace Aicc.Api.Http.Auth;

/// <summary>
/// Refuses every /api request made with a suspended tenant's credentials: 403 with code
/// <c>tenant_suspended</c>, so an integration sees why (not a generic 401 that looks like a bad
/// key). The tenant's data stays untouched; activating it lets the same credentials work again.
/// </summary>
public sealed class TenantSuspension(RequestDelegate next)
{
    /// <summary>Set on the caller's principal when its tenant is suspended.</summary>
    public const string Claim = "aicc:tenant_suspended";

    public const string Code = "tenant_suspended";

    public Task InvokeAsync(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") && context.User.HasClaim(Claim, "true")
            ? Problem().ExecuteAsync(context)
            : next(context);

    public static ProblemHttpResult Problem() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Tenant suspended",
            detail: "This tenant is suspended by the platform operator; its data is kept, and its credentials work again once it is activated.",
            extensions: new Dictionary<string, object?> { ["code"] = Code });
}
