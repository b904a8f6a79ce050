using System.Security.Claims;
using Aicc.Handlers.Http;
using Aicc.Handlers.Security;
using Aicc.Projections.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aicc.Api.Http.Auth;

/// <summary>Password login for people (agents, supervisors): a session token as bearer token and cookie.</summary>
public static class AuthEndpoints
{
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    /// <summary>Login request. The tenant is named here because nothing else identifies it before login.</summary>
    public sealed record LoginRequest(string? Tenant, string? Login, string? Password);

    /// <summary>A new session: the token is shown once and stored only as a hash.</summary>
    public sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, string Tenant, string EmployeeId, IReadOnlyList<string> Roles);

    /// <summary>Who the caller is.</summary>
    public sealed record MeResponse(string Tenant, string EmployeeId, string Login, IReadOnlyList<string> Roles, string Method);

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).AllowAnonymous().WithSummary("Log in with a password; returns a bearer token and sets the session cookie.");
        group.MapPost("/logout", LogoutAsync).RequireAuthorization().WithSummary("End the current session.");
        app.MapGet("/api/v1/me", Me).RequireAuthorization().WithTags("Auth").WithSummary("The authenticated caller.");
        return app;
    }

    private static async Task<Results<Ok<LoginResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, AccessReadModel access, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Tenant))
        {
            errors["tenant"] = ["Required."];
        }

        if (string.IsNullOrWhiteSpace(request.Login))
        {
            errors["login"] = ["Required."];
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["Required."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var found = await access.FindLoginAsync(request.Tenant!, request.Login!, cancellationToken);
        if (found is not { } account || !Secrets.VerifyPassword(request.Password!, account.PasswordHash))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Login failed", detail: "Unknown tenant, login or password.");
        }

        if (account.Principal.TenantSuspended)
        {
            return TenantSuspension.Problem();
        }

        var token = Secrets.NewApiKey();
        var now = clock.GetUtcNow();
        var expiresAt = now + SessionLifetime;
        await access.CreateSessionAsync(token.Hash, account.Principal, now, expiresAt, cancellationToken);
        http.Response.Cookies.Append(AuthSetup.SessionCookie, token.Key, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Expires = expiresAt,
            Path = "/",
        });
        return TypedResults.Ok(new LoginResponse(token.Key, expiresAt, account.Principal.Tenant, account.Principal.EmployeeId, account.Principal.Roles));
    }

    private static async Task<NoContent> LogoutAsync(HttpContext http, AccessReadModel access, CancellationToken cancellationToken)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : http.Request.Cookies[AuthSetup.SessionCookie];
        if (!string.IsNullOrEmpty(token))
        {
            await access.DeleteSessionAsync(Secrets.HashApiKey(token), cancellationToken);
        }

        http.Response.Cookies.Delete(AuthSetup.SessionCookie);
        return TypedResults.NoContent();
    }

    private static Ok<MeResponse> Me(ClaimsPrincipal user) =>
        TypedResults.Ok(new MeResponse(
            user.Tenant(),
            user.EmployeeKey(),
            user.Identity?.Name ?? "",
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList(),
            user.FindFirstValue("amr") ?? ""));
}
