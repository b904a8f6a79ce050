using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Conversation.Demo;

namespace Aicc.Api.Tests.Robots;

/// <summary>PUT /api/v1/robots/{id}/voice and /capacity through the real host.</summary>
public sealed class RobotSettingsApiTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task GivenARobot_WhenItsVoiceAndCapacityChange_ThenTheRobotAndItsListRowShowThem_AndAStaleETagIsAConflict()
    {
        var tenant = await host.CreateTenantAsync("Robot Voice Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var (robotId, created) = await CreateRobotAsync(client);

        var voice = await PutAsync(client, $"/api/v1/robots/{robotId}/voice", new { voice = " cmn-latn-pinyin " }, created);
        Assert.Equal(HttpStatusCode.OK, voice.StatusCode);
        Assert.Equal("cmn-latn-pinyin", (await Json(voice)).GetProperty("voice").GetString());
        // The ETag the create returned is stale now: the voice change moved it.
        Assert.Equal(HttpStatusCode.Conflict, (await PutAsync(client, $"/api/v1/robots/{robotId}/capacity", new { capacity = 9 }, created)).StatusCode);
        var capacity = await PutAsync(client, $"/api/v1/robots/{robotId}/capacity", new { capacity = 9 }, voice.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, capacity.StatusCode);
        var body = await Json(capacity);
        Assert.Equal((9, "cmn-latn-pinyin"), (body.GetProperty("capacity").GetInt32(), body.GetProperty("voice").GetString()));

        var one = await client.GetAsync($"/api/v1/robots/{robotId}");
        Assert.Equal(capacity.Headers.ETag, one.Headers.ETag);
        var row = Assert.Single((await Json(await client.GetAsync("/api/v1/robots"))).EnumerateArray());
        Assert.Equal((9, "cmn-latn-pinyin"), (row.GetProperty("capacity").GetInt32(), row.GetProperty("voice").GetString()));

        // The same settings again change nothing: same ETag.
        var again = await PutAsync(client, $"/api/v1/robots/{robotId}/capacity", new { capacity = 9 }, null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(capacity.Headers.ETag, again.Headers.ETag);
    }

    [Fact]
    public async Task GivenBadSettings_WhenPut_ThenValidationProblemsNameTheField_AndNothingChanges()
    {
        var tenant = await host.CreateTenantAsync("Robot Validation Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var (robotId, created) = await CreateRobotAsync(client);

        foreach (var (path, body, field) in new (string, object, string)[]
        {
            ("voice", new { voice = "  " }, "voice"),
            ("voice", new { }, "voice"),
            ("voice", new { voice = new string('v', 65) }, "voice"),
            ("capacity", new { capacity = 0 }, "capacity"),
            ("capacity", new { capacity = -3 }, "capacity"),
            ("capacity", new { }, "capacity"),
        })
        {
            var response = await PutAsync(client, $"/api/v1/robots/{robotId}/{path}", body, null);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await Json(response);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{path} {JsonSerializer.Serialize(body)}: {problem}");
        }

        var one = await client.GetAsync($"/api/v1/robots/{robotId}");
        Assert.Equal(created, one.Headers.ETag!.Tag);
        var robot = await Json(one);
        Assert.Equal(("kal16", 5), (robot.GetProperty("voice").GetString(), robot.GetProperty("capacity").GetInt32()));
    }

    [Fact]
    public async Task GivenAnotherTenantsRobot_WhenItsVoiceOrCapacityIsPut_Then404_AndTheOwnersRobotIsUnchanged()
    {
        var owner = await host.CreateTenantAsync("Robot Owner Co");
        var other = await host.CreateTenantAsync("Robot Nosy Co");
        using var ownerClient = host.ClientWithKey(owner.ApiKey);
        using var otherClient = host.ClientWithKey(other.ApiKey);
        var (robotId, created) = await CreateRobotAsync(ownerClient);

        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(otherClient, $"/api/v1/robots/{robotId}/voice", new { voice = "awb" }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(otherClient, $"/api/v1/robots/{robotId}/capacity", new { capacity = 1 }, created)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(ownerClient, $"/api/v1/robots/{Guid.NewGuid()}/voice", new { voice = "awb" }, null)).StatusCode);
        Assert.Equal(created, (await ownerClient.GetAsync($"/api/v1/robots/{robotId}")).Headers.ETag!.Tag);
    }

    [Fact]
    public async Task GivenAnAgent_WhenItPutsARobotsVoice_ThenForbidden()
    {
        var tenant = await host.CreateTenantAsync("Robot Roles Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var (robotId, _) = await CreateRobotAsync(admin);
        var employee = await admin.PostAsJsonAsync("/api/v1/employees", new { login = "ann", password = "long enough", role = "agent" });
        Assert.Equal(HttpStatusCode.Created, employee.StatusCode);
        var key = await admin.PostAsJsonAsync($"/api/v1/employees/{(await Json(employee)).GetProperty("id").GetGuid()}/api-keys", new { label = "test" });
        using var agent = host.ClientWithKey((await Json(key)).GetProperty("apiKey").GetString()!);

        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(agent, $"/api/v1/robots/{robotId}/voice", new { voice = "awb" }, null)).StatusCode);
    }

    private static async Task<(Guid RobotId, string ETag)> CreateRobotAsync(HttpClient client)
    {
        var script = await client.PostAsync("/api/v1/scripts", new StringContent(RobotDemo.Read("script.demo-en.json"), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, script.StatusCode);
        var scriptId = (await Json(script)).GetProperty("id").GetGuid();
        var created = await client.PostAsJsonAsync("/api/v1/robots", new { name = "Mia", scriptId, scriptVersion = 1, voice = "kal16", capacity = 5 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ((await Json(created)).GetProperty("id").GetGuid(), created.Headers.ETag!.Tag);
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }

        return client.SendAsync(request);
    }
}
