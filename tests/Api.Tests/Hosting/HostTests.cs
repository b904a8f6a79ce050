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

    [Fact]
    public async Task WhenProjectionHealthIsAsked_ThenEachAsyncProjectionReportsItsLag()
    {
        // The daemon registers its projections as it starts, beside the host: give it a moment.
        JsonDocument body;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await host.Client.GetAsync("/health/projections");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (body.RootElement.GetArrayLength() > 0 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        var names = body.RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("event-type-counts", names);
        Assert.All(body.RootElement.EnumerateArray(), p => Assert.True(p.TryGetProperty("lag", out _)));
    }

    [Fact]
    public async Task GivenCorrelationId_WhenRequestIsServed_ThenItIsEchoedForTracing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Correlation-Id", "trace-me-42");

        var response = await host.Client.SendAsync(request);

        Assert.Equal("trace-me-42", response.Headers.GetValues("X-Correlation-Id").Single());
    }
}
