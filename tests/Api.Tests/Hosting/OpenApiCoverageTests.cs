using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Hosting;

public sealed partial class OpenApiCoverageTests(RunningHost host) : IClassFixture<RunningHost>
{
    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task EveryApiEndpointIsInTheOpenApiDocument_WithATagAndASummary()
    {
        using var document = JsonDocument.Parse(await host.Client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(endpoints.Count >= 30, $"only {endpoints.Count} API endpoints found");

        foreach (var endpoint in endpoints)
        {
            var path = RouteParameter().Replace(endpoint.RoutePattern.RawText!, "{$1}").TrimEnd('/');
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the OpenAPI document");
            foreach (var method in endpoint.Metadata.OfType<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().SelectMany(m => m.HttpMethods))
            {
                Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is not in the OpenAPI document");
                Assert.True(operation.TryGetProperty("summary", out _), $"{method} {path} has no summary");
                Assert.True(operation.TryGetProperty("tags", out _), $"{method} {path} has no tag");
            }
        }
    }

    [Theory]
    [InlineData("/api/v1/lines/{lineId}", "put", "ReconfigureLine")]
    [InlineData("/api/v1/robots/{robotId}/voice", "put", "ChangeRobotVoice")]
    [InlineData("/api/v1/robots/{robotId}/capacity", "put", "ChangeRobotCapacity")]
    public async Task TheSettingsEndpointsAreDocumented_WithTheirRequestBody(string path, string method, string operationId)
    {
        using var document = JsonDocument.Parse(await host.Client.GetStringAsync("/openapi/v1.json"));
        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.Equal(operationId, operation.GetProperty("operationId").GetString());
        Assert.True(operation.TryGetProperty("requestBody", out _), $"{method} {path} documents no request body");
    }
}
