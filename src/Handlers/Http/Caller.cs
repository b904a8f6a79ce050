using System.Security.Claims;

namespace Aicc.Handlers.Http;

/// <summary>
/// The authenticated caller as handlers see it. The tenant always comes from the credential
/// (claims set by the host's authentication), never from the URL or body.
/// </summary>
public static class Caller
{
    public const string TenantClaim = "aicc:tenant";
    public const string EmployeeClaim = "aicc:employee";

    public static string Tenant(this ClaimsPrincipal user) =>
        user.FindFirstValue(TenantClaim) ?? throw new InvalidOperationException("Caller has no tenant: the endpoint is missing RequireAuthorization().");

    public static Guid TenantId(this ClaimsPrincipal user) => Guid.Parse(user.Tenant());

    public static string EmployeeKey(this ClaimsPrincipal user) =>
        user.FindFirstValue(EmployeeClaim) ?? throw new InvalidOperationException("Caller has no employee id.");

    public static Guid EmployeeId(this ClaimsPrincipal user) => Guid.Parse(user.EmployeeKey());
}
