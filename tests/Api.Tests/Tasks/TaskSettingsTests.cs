using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;

namespace Aicc.Api.Tests.Tasks;

public sealed class TaskSettingsTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task<Guid> CreateAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response)).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, Guid taskId, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/tasks/{taskId}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }

        return client.SendAsync(request);
    }

    private static async Task<(JsonElement Task, string ETag)> GetAsync(HttpClient client, Guid taskId)
    {
        var response = await client.GetAsync($"/api/v1/tasks/{taskId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json(response), response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task GivenStaleETag_WhenPuttingSettings_Then409AndTheFirstWriterWins()
    {
        var tenant = await host.CreateTenantAsync("ETag Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var taskId = await CreateAsync(client, "/api/v1/tasks", new { name = "Original" });
        var (_, etag) = await GetAsync(client, taskId);

        var first = await PutAsync(client, taskId, new { name = "First writer" }, etag);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEqual(etag, first.Headers.ETag!.Tag);
        var second = await PutAsync(client, taskId, new { name = "Second writer", rateLimit = 30 }, etag);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("version_conflict", (await Json(second)).GetProperty("code").GetString());
        var (task, now) = await GetAsync(client, taskId);
        Assert.Equal("First writer", task.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("setup").GetProperty("maxCallsPerMinute").ValueKind);
        Assert.Equal(first.Headers.ETag!.Tag, now);
    }

    [Fact]
    public async Task GivenDraftTask_WhenStarting_Then409ListsEverythingMissing_AndOnceCompleteTheLifecycleRuns()
    {
        var tenant = await host.CreateTenantAsync("Lifecycle Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var taskId = await CreateAsync(client, "/api/v1/tasks", new { name = "Spring" });

        var refused = await client.PostAsync($"/api/v1/tasks/{taskId}/start", null);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var missing = (await Json(refused)).GetProperty("missing").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Equal(["line", "handler", "customers"], missing);
        Assert.Equal("draft", (await GetAsync(client, taskId)).Task.GetProperty("state").GetString());

        var lineId = await CreateAsync(client, "/api/v1/lines", new { name = "Trunk 1", address = "127.0.0.1:5070", transport = "udp", maxChannels = 30 });
        var set = await PutAsync(client, taskId, new
        {
            lineId,
            handler = new { kind = "agent_group", skillGroup = "sales" },
            pacing = new { mode = "progressive" },
            callingWindows = new[] { new { start = "09:00", end = "12:00" }, new { start = "13:30", end = "20:00" } },
            retry = new { busy = new { delaySeconds = 300, maxAttempts = 2 } },
            rateLimit = 60,
            dispositions = new[] { "interested", "not interested" },
        });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var upload = await client.PostAsync($"/api/v1/tasks/{taskId}/customers", new StringContent("phone,name\n13800138000,Li\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);

        Assert.Equal("running", (await Json(await client.PostAsync($"/api/v1/tasks/{taskId}/start", null))).GetProperty("state").GetString());
        Assert.Equal("paused", (await Json(await client.PostAsJsonAsync($"/api/v1/tasks/{taskId}/pause", new { reason = "lunch" }))).GetProperty("state").GetString());
        Assert.Equal("running", (await Json(await client.PostAsync($"/api/v1/tasks/{taskId}/resume", null))).GetProperty("state").GetString());
        Assert.Equal("cancelled", (await Json(await client.PostAsJsonAsync($"/api/v1/tasks/{taskId}/cancel", new { reason = "budget" }))).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/v1/tasks/{taskId}/start", null)).StatusCode);
        var setup = (await GetAsync(client, taskId)).Task.GetProperty("setup");
        Assert.Equal(60, setup.GetProperty("maxCallsPerMinute").GetInt32());
        Assert.Equal(2, setup.GetProperty("windows").GetArrayLength());
        Assert.Equal(lineId, setup.GetProperty("lineId").GetGuid());
        var lines = await Json(await client.GetAsync("/api/v1/lines"));
        Assert.Equal([lineId], lines.EnumerateArray().Select(l => l.GetProperty("id").GetGuid()).ToArray());
    }

    [Fact]
    public async Task GivenSomeBadFields_WhenPutting_ThenEachIsNamed_AndNothingIsApplied()
    {
        var tenant = await host.CreateTenantAsync("Atomic Co");
        var other = await host.CreateTenantAsync("Other Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        using var otherClient = host.ClientWithKey(other.ApiKey);
        var foreignScript = await otherClient.PostAsync("/api/v1/scripts",
            new StringContent(Aicc.Domain.Conversation.Demo.RobotDemo.Read("script.demo-en.json"), Encoding.UTF8, "application/json"));
        var scriptId = (await Json(foreignScript)).GetProperty("id").GetGuid();
        var foreignRobot = await CreateAsync(otherClient, "/api/v1/robots", new { name = "Bot", scriptId, scriptVersion = 1, voice = "female", capacity = 5 });
        var taskId = await CreateAsync(client, "/api/v1/tasks", new { name = "Unchanged" });
        var (_, before) = await GetAsync(client, taskId);

        var response = await PutAsync(client, taskId, new
        {
            name = "Changed",
            lineId = Guid.NewGuid(),
            handler = new { kind = "robot", robotId = foreignRobot },
            pacing = new { mode = "warp" },
            callingWindows = new[] { new { start = "18:00", end = "09:00" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors");
        foreach (var field in new[] { "lineId", "handler.robotId", "pacing.mode", "callingWindows[0]" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        var (task, after) = await GetAsync(client, taskId);
        Assert.Equal("Unchanged", task.GetProperty("name").GetString());
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task GivenRunningTask_WhenOneOfSeveralChangesIsRefused_ThenNoneIsApplied()
    {
        var tenant = await host.CreateTenantAsync("Running Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var taskId = await CreateAsync(client, "/api/v1/tasks", new { name = "Live" });
        var lineA = await CreateAsync(client, "/api/v1/lines", new { name = "A", address = "10.0.0.1", maxChannels = 10 });
        var lineB = await CreateAsync(client, "/api/v1/lines", new { name = "B", address = "10.0.0.2", maxChannels = 10 });
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(client, taskId, new { lineId = lineA, handler = new { kind = "agent_group", skillGroup = "sales" } })).StatusCode);
        await client.PostAsync($"/api/v1/tasks/{taskId}/customers", new StringContent("phone\n13900139000\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/tasks/{taskId}/start", null)).StatusCode);
        var (_, before) = await GetAsync(client, taskId);

        // Renaming is allowed while running, changing the line is not: the rename must not land alone.
        var response = await PutAsync(client, taskId, new { name = "Renamed", lineId = lineB });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var (task, after) = await GetAsync(client, taskId);
        Assert.Equal("Live", task.GetProperty("name").GetString());
        Assert.Equal(lineA, task.GetProperty("setup").GetProperty("lineId").GetGuid());
        Assert.Equal(before, after);
    }
}
