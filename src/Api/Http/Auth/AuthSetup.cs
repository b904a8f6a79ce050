using System.Security.Claims;
using System.Text.Encodings.Web;
using Aicc.Handlers.Http;
using Aicc.Handlers.Security;
using Aicc.Projections.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Aicc.Api.Http.Auth;

/// <summary>
/// One authentication scheme for all callers: <c>X-Api-Key</c> for integrations, a bearer
/// token or the <c>aicc_session</c> cookie (from <c>POST /api/v1/auth/login</c>) for people.
/// The tenant always comes from the credential, never from the URL or body.
/// </summary>
public static class AuthSetup
{
    public const string Scheme = "aicc";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string SessionCookie = "aicc_session";
    public const string TenantClaim = Caller.TenantClaim;
    public const string EmployeeClaim = Caller.EmployeeClaim;

    public static IServiceCollection AddAiccAuth(this IServiceCollection services)
    {
        services.AddSingleton<AccessReadModel>();
        services.AddAuthentication(Scheme)
            .AddScheme<AuthenticationSchemeOptions, CredentialAuthenticationHandler>(Scheme, _ => { });
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.Manage, p => p.RequireRole(Roles.Admin, Roles.Operator, Roles.Supervisor))
            .AddPolicy(Roles.Author, p => p.RequireRole(Roles.Admin, Roles.Operator))
            .AddPolicy(Roles.Review, p => p.RequireRole(Roles.Admin, Roles.Operator, Roles.Supervisor))
            .AddPolicy(Roles.Supervise, p => p.RequireRole(Roles.Admin, Roles.Supervisor))
            .AddPolicy(Roles.Operate, p => p.RequireRole(Roles.Admin, Roles.Operator))
            .AddPolicy(Roles.Agent, p => p.RequireRole(Roles.Admin, Roles.Supervisor, Roles.Agent))
            .AddPolicy(Roles.Member, p => p.RequireRole(Roles.Admin, Roles.Supervisor, Roles.Operator, Roles.Agent));
        return services;
    }

    public static ClaimsPrincipal ToClaimsPrincipal(Principal principal, string method)
    {
        var claims = new List<Claim>
        {
            new(TenantClaim, principal.Tenant),
            new(EmployeeClaim, principal.EmployeeId),
            new(ClaimTypes.Name, principal.Login),
            new("amr", method),
        };
        claims.AddRange(principal.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        if (principal.TenantSuspended)
        {
            claims.Add(new Claim(TenantSuspension.Claim, "true"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }
}

/// <summary>Role names as stored on employees, and the policy names endpoints require.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Supervisor = "supervisor";
    public const string Operator = "operator";
    public const string Agent = "agent";

    /// <summary>Policy: manage tasks, scripts, numbers (admin, operator, supervisor).</summary>
    public const string Manage = "manage";

    /// <summary>Policy: write dialog scripts (admin, operator): what robots say to callers.</summary>
    public const string Author = "author";

    /// <summary>Policy: read dialog scripts (admin, operator, supervisor).</summary>
    public const string Review = "review";

    /// <summary>Policy: change number resources and compliance lists (admin, operator); supervisors read them.</summary>
    public const string Operate = "operate";

    /// <summary>Policy: watch and steer the floor (admin, supervisor).</summary>
    public const string Supervise = "supervise";

    /// <summary>Policy: read the tenant's data (any role).</summary>
    public const string Member = "member";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Admin, Supervisor, Operator, Agent };
}

/// <summary>Turns an API key, bearer token or session cookie into the caller's principal.</summary>
public sealed class CredentialAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccessReadModel access,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.TryGetValue(AuthSetup.ApiKeyHeader, out var apiKey) && !string.IsNullOrEmpty(apiKey))
        {
            var principal = await access.FindByApiKeyHashAsync(Secrets.HashApiKey(apiKey.ToString()), Context.RequestAborted);
            return principal is null
                ? AuthenticateResult.Fail("Unknown or revoked API key.")
                : Success(principal, "api-key");
        }

        var token = BearerToken() ?? Request.Cookies[AuthSetup.SessionCookie];
        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var session = await access.FindBySessionHashAsync(Secrets.HashApiKey(token), clock.GetUtcNow(), Context.RequestAborted);
        return session is null
            ? AuthenticateResult.Fail("Unknown or expired session.")
            : Success(session, "session");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"Bearer realm=\"aicc\", {AuthSetup.ApiKeyHeader}";
        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Authentication required",
            detail: $"Send an {AuthSetup.ApiKeyHeader} header, or a bearer token from POST /api/v1/auth/login.").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: "Your role does not allow this operation.").ExecuteAsync(Context);

    private string? BearerToken()
    {
        var header = Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private AuthenticateResult Success(Principal principal, string method) =>
        AuthenticateResult.Success(new AuthenticationTicket(AuthSetup.ToClaimsPrincipal(principal, method), Scheme.Name));
}
