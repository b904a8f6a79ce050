using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;

namespace Aicc.Api.Tests.Auth;

public sealed class AuthenticationTests(RunningHost host) : IClassFixture<RunningHost>
{
    [Fact]
    public async Task GivenNoCredentials_WhenProtectedEndpointIsCalled_Then401ProblemDetails()
    {
        var response = await host.Client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GivenUnknownApiKey_WhenProtectedEndpointIsCalled_Then401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("X-Api-Key", "aicc_0000000000000000000000000000000000000000000000");

        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GivenLoginWithMissingFields_ThenValidationProblemNamesEachField()
    {
        var response = await host.Client.PostAsJsonAsync("/api/v1/auth/login", new { tenant = "t1" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = body.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("login", out _));
        Assert.True(errors.TryGetProperty("password", out _));
        Assert.False(errors.TryGetProperty("tenant", out _));
    }

    [Fact]
    public async Task GivenUnknownLogin_WhenLoggingIn_Then401()
    {
        var response = await host.Client.PostAsJsonAsync("/api/v1/auth/login", new { tenant = "t1", login = "nobody", password = "x" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
