using System.Net;
using System.Text.Json;

namespace Aicc.Api.Tests.Hosting;

public sealed class HostTests(RunningHost host) : IClassFixture<RunningHost>
{
    [Fact]
    public async Task GivenMigratedDatabase_WhenHealthIsAsked_ThenAnswers200WithDatabaseUp()
    {
        var response = await host.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("up", body.RootElement.GetProperty("database").GetString());
    }

    [Fact]
    public async Task WhenOpenApiDocumentIsAsked_ThenItListsTheHealthEndpoint()
    {
        var response = await host.Client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("paths").TryGetProperty("/health", out _));
    }
}
