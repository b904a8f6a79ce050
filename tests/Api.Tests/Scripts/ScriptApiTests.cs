using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Conversation.Demo;
using Aicc.Domain.Conversation.Scripts;
using Aicc.Handlers.Scripts;
using Aicc.Handlers.Tenants.SeedingDemo;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicc.Api.Tests.Scripts;

public sealed class ScriptApiTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static StringContent Document(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Demo(string language) => RobotDemo.Read($"script.demo-{language}.json");

    /// <summary>The English demo with the greeting reworded, which makes it a new version.</summary>
    private static string Edited()
    {
        var node = JsonNode.Parse(Demo("en"))!;
        foreach (var n in node["nodes"]!.AsArray())
        {
            if ((string?)n!["id"] == "greet")
            {
                n["text"] = "Good morning {{name}}, this is the new greeting.";
            }
        }

        return node.ToJsonString();
    }

    private static async Task<Guid> UploadAsync(HttpClient client, string json)
    {
        var response = await client.PostAsync("/api/v1/scripts", Document(json));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response)).GetProperty("id").GetGuid();
    }

    private async Task<HttpClient> EmployeeAsync(HttpClient admin, string login, string role)
    {
        var registered = await admin.PostAsJsonAsync("/api/v1/employees", new { login, password = "long enough", role });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var id = (await Json(registered)).GetProperty("id").GetGuid();
        var issued = await admin.PostAsJsonAsync($"/api/v1/employees/{id}/api-keys", new { label = "test" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        return host.ClientWithKey((await Json(issued)).GetProperty("apiKey").GetString()!);
    }

    private async Task<long> ScriptStreamsAsync(string tenant)
    {
        await using var command = host.Services.GetRequiredService<NpgsqlDataSource>()
            .CreateCommand("select count(*) from es_streams where tenant_id = $1 and type = 'script'");
        command.Parameters.AddWithValue(tenant);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task GivenAScript_WhenVersionsArePublished_ThenEachVersionStaysAsPublished_AndTheListShowsTheLatest()
    {
        var tenant = await host.CreateTenantAsync("Script Co");
        using var client = host.ClientWithKey(tenant.ApiKey);

        var created = await client.PostAsync("/api/v1/scripts", Document(Demo("en")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Json(created);
        var scriptId = body.GetProperty("id").GetGuid();
        Assert.Equal(1, body.GetProperty("latestVersion").GetInt32());
        Assert.Equal($"/api/v1/scripts/{scriptId}", created.Headers.Location!.OriginalString);

        var v2 = await client.PostAsync($"/api/v1/scripts/{scriptId}/versions", Document(Edited()));
        Assert.Equal(HttpStatusCode.Created, v2.StatusCode);
        Assert.Equal(2, (await Json(v2)).GetProperty("latestVersion").GetInt32());
        var same = await client.PostAsync($"/api/v1/scripts/{scriptId}/versions", Document(Edited()));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(2, (await Json(same)).GetProperty("latestVersion").GetInt32());

        var first = await client.GetStringAsync($"/api/v1/scripts/{scriptId}/versions/1");
        var second = await client.GetStringAsync($"/api/v1/scripts/{scriptId}/versions/2");
        var (v1Doc, v1Problems) = ScriptValidation.Parse(first);
        var (v2Doc, _) = ScriptValidation.Parse(second);
        Assert.Empty(v1Problems);
        Assert.Equal(1, v1Doc!.Version);
        Assert.Equal(2, v2Doc!.Version);
        Assert.Equal("Hello {{name}}, this is Anna, a virtual assistant calling from {{company}}.", ((SayNode)v1Doc.Nodes.First(n => n.Id == "greet")).Text);
        Assert.Equal("Good morning {{name}}, this is the new greeting.", ((SayNode)v2Doc.Nodes.First(n => n.Id == "greet")).Text);
        var demo = RobotDemo.Script("en");
        Assert.Equal(demo.Intents.Select(i => (i.Name, i.Examples.Count)), v1Doc.Intents.Select(i => (i.Name, i.Examples.Count)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/scripts/{scriptId}/versions/3")).StatusCode);

        var detail = await client.GetAsync($"/api/v1/scripts/{scriptId}");
        Assert.Equal("\"3\"", detail.Headers.ETag!.Tag);
        Assert.Equal([1, 2], (await Json(detail)).GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));

        var list = await Json(await client.GetAsync("/api/v1/scripts"));
        var row = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(scriptId, row.GetProperty("id").GetGuid());
        Assert.Equal("demo-en", row.GetProperty("key").GetString());
        Assert.Equal(2, row.GetProperty("latestVersion").GetInt32());
        Assert.Equal("Demo offer call (English)", row.GetProperty("name").GetString());
    }

    [Fact]
    public async Task GivenConcurrentPublishes_WhenTheyRace_ThenEachGetsItsOwnVersionNumber_AndNoDocumentIsLost()
    {
        var tenant = await host.CreateTenantAsync("Racing Script Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var scriptId = await UploadAsync(client, Demo("en"));
        var greetings = Enumerable.Range(1, 5).Select(i => $"Greeting number {i} for {{{{name}}}}.").ToList();

        var responses = await Task.WhenAll(greetings.Select(greeting =>
        {
            var node = JsonNode.Parse(Demo("en"))!;
            node["nodes"]!.AsArray().First(n => (string?)n!["id"] == "greet")!["text"] = greeting;
            return client.PostAsync($"/api/v1/scripts/{scriptId}/versions", Document(node.ToJsonString()));
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var published = new List<string>();
        for (var version = 2; version <= 6; version++)
        {
            var (document, _) = ScriptValidation.Parse(await client.GetStringAsync($"/api/v1/scripts/{scriptId}/versions/{version}"));
            Assert.Equal(version, document!.Version);
            published.Add(((SayNode)document.Nodes.First(n => n.Id == "greet")).Text!);
        }

        Assert.Equal(greetings.Order(), published.Order());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/scripts/{scriptId}/versions/7")).StatusCode);
    }

    [Fact]
    public async Task GivenAScriptWithSeveralProblems_WhenUploaded_Then422NamesEveryProblemWithItsNode_AndNothingIsStored()
    {
        var tenant = await host.CreateTenantAsync("Broken Script Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var node = JsonNode.Parse(Demo("en"))!;
        foreach (var n in node["nodes"]!.AsArray())
        {
            if ((string?)n!["id"] == "greet")
            {
                n["next"] = "no_such_node";
                n["text"] = "Hello {{nickname}}";
            }
        }

        var response = await client.PostAsync("/api/v1/scripts", Document(node.ToJsonString()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("script.invalid", problem.GetProperty("code").GetString());
        var problems = problem.GetProperty("problems").EnumerateArray()
            .Select(p => (Node: p.GetProperty("node").GetString(), Code: p.GetProperty("code").GetString())).ToList();
        Assert.True(problems.Count >= 3, string.Join(", ", problems));
        Assert.Contains(problems, p => p.Node == "greet" && p.Code!.Contains("edge", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Node == "greet" && p.Code!.Contains("variable", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Code!.Contains("unreachable", StringComparison.Ordinal));
        Assert.Equal(0, await ScriptStreamsAsync(tenant.TenantId.ToString()));
        Assert.Equal(0, (await Json(await client.GetAsync("/api/v1/scripts"))).GetProperty("total").GetInt64());

        var notJson = await client.PostAsync("/api/v1/scripts", Document("{\"id\": \"x\", \"nodes\": [ {\"type\": \"say\" "));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notJson.StatusCode);
        Assert.Equal("invalid_json", (await Json(notJson)).GetProperty("problems")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task GivenTheSameIdempotencyKey_WhenUploadingTwice_ThenOneScript()
    {
        var tenant = await host.CreateTenantAsync("Retry Script Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        async Task<Guid> PostAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scripts") { Content = Document(Demo("zh")) };
            request.Headers.Add("Idempotency-Key", "upload-zh-1");
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await Json(response)).GetProperty("id").GetGuid();
        }

        Assert.Equal(await PostAsync(), await PostAsync());
        Assert.Equal(1, await ScriptStreamsAsync(tenant.TenantId.ToString()));
    }

    [Fact]
    public async Task GivenRoles_WhenScriptsAreWrittenAndRead_ThenOperatorsWrite_SupervisorsOnlyRead_AgentsNeither()
    {
        var tenant = await host.CreateTenantAsync("Roles Script Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        using var operatorClient = await EmployeeAsync(admin, "olga", "operator");
        using var supervisor = await EmployeeAsync(admin, "sam", "supervisor");
        using var agent = await EmployeeAsync(admin, "alice", "agent");

        var scriptId = await UploadAsync(operatorClient, Demo("en"));

        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync($"/api/v1/scripts/{scriptId}/versions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync("/api/v1/scripts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsync("/api/v1/scripts", Document(Demo("zh")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsync($"/api/v1/scripts/{scriptId}/versions", Document(Edited()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync($"/api/v1/scripts/{scriptId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"/api/v1/scripts/{scriptId}/versions", Document(Edited()))).StatusCode);
    }

    [Fact]
    public async Task GivenAnotherTenantsScript_WhenReadPublishedOrPinned_Then404Or422_AndItIsNeverListed()
    {
        var owner = await host.CreateTenantAsync("Owner Script Co");
        var other = await host.CreateTenantAsync("Nosy Script Co");
        using var ownerClient = host.ClientWithKey(owner.ApiKey);
        using var otherClient = host.ClientWithKey(other.ApiKey);
        var scriptId = await UploadAsync(ownerClient, Demo("en"));

        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/api/v1/scripts/{scriptId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/api/v1/scripts/{scriptId}/versions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.PostAsync($"/api/v1/scripts/{scriptId}/versions", Document(Edited()))).StatusCode);
        Assert.Equal(0, (await Json(await otherClient.GetAsync("/api/v1/scripts"))).GetProperty("total").GetInt64());
        var robot = await otherClient.PostAsJsonAsync("/api/v1/robots", new { name = "Thief", scriptId, scriptVersion = 1, voice = "kal16", capacity = 2 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, robot.StatusCode);
        Assert.Equal("script.unknown_version", (await Json(robot)).GetProperty("code").GetString());
        var library = host.Services.GetRequiredService<ScriptLibrary>();
        Assert.Null(await library.LoadAsync(other.TenantId, scriptId, 1));
        Assert.NotNull(await library.LoadAsync(owner.TenantId, scriptId, 1));
    }

    [Fact]
    public async Task GivenPublishedVersions_WhenARobotIsCreatedAndRepinned_ThenOnlyPublishedVersionsAreAccepted()
    {
        var tenant = await host.CreateTenantAsync("Robot Pin Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var scriptId = await UploadAsync(client, Demo("en"));

        var unknown = await client.PostAsJsonAsync("/api/v1/robots", new { name = "Mia", scriptId, scriptVersion = 2, voice = "kal16", capacity = 5 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Empty((await Json(await client.GetAsync("/api/v1/robots"))).EnumerateArray());

        var created = await client.PostAsJsonAsync("/api/v1/robots", new { name = "Mia", scriptId, scriptVersion = 1, voice = "kal16", capacity = 5 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var robotId = (await Json(created)).GetProperty("id").GetGuid();
        var etag = created.Headers.ETag!.Tag;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PinAsync(client, robotId, scriptId, 2, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/v1/scripts/{scriptId}/versions", Document(Edited()))).StatusCode);
        var pinned = await PinAsync(client, robotId, scriptId, 2, etag);
        Assert.Equal(HttpStatusCode.OK, pinned.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PinAsync(client, robotId, scriptId, 1, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PinAsync(client, Guid.NewGuid(), scriptId, 1, null)).StatusCode);

        var row = Assert.Single((await Json(await client.GetAsync("/api/v1/robots"))).EnumerateArray());
        Assert.Equal(2, row.GetProperty("scriptVersion").GetInt32());
        var one = await client.GetAsync($"/api/v1/robots/{robotId}");
        Assert.Equal(pinned.Headers.ETag, one.Headers.ETag);
        Assert.Equal(2, (await Json(one)).GetProperty("scriptVersion").GetInt32());
        Assert.Equal(scriptId, row.GetProperty("scriptId").GetGuid());
    }

    private static Task<HttpResponseMessage> PinAsync(HttpClient client, Guid robotId, Guid scriptId, int version, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/robots/{robotId}/script")
        {
            Content = JsonContent.Create(new { scriptId, scriptVersion = version }),
        };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }

        return client.SendAsync(request);
    }

    [Fact]
    public async Task GivenTheDemoSeed_WhenRun_ThenBothDemoScriptsArePublished_AndTheRobotRunsTheEnglishOne()
    {
        var store = host.Services.GetRequiredService<Aicc.EventStore.PostgresEventStore>();
        var seeded = await SeedDemo.HandleAsync(store, TimeProvider.System, CancellationToken.None);
        Assert.NotNull(seeded);
        Assert.Null(await SeedDemo.HandleAsync(store, TimeProvider.System, CancellationToken.None));
        using var client = host.ClientWithKey(seeded.ApiKey);

        var scripts = (await Json(await client.GetAsync("/api/v1/scripts"))).GetProperty("items").EnumerateArray()
            .ToDictionary(s => s.GetProperty("id").GetGuid(), s => (Language: s.GetProperty("language").GetString(), Latest: s.GetProperty("latestVersion").GetInt32()));
        Assert.Equal(("en", 1), scripts[SeedDemo.DemoScriptId]);
        Assert.Equal(("zh", 1), scripts[SeedDemo.DemoChineseScriptId]);
        var robot = Assert.Single((await Json(await client.GetAsync("/api/v1/robots"))).EnumerateArray());
        Assert.Equal(SeedDemo.DemoScriptId, robot.GetProperty("scriptId").GetGuid());
        Assert.Equal(1, robot.GetProperty("scriptVersion").GetInt32());

        var library = host.Services.GetRequiredService<ScriptLibrary>();
        var english = await library.LoadAsync(SeedDemo.DemoTenantId, SeedDemo.DemoScriptId, 1);
        Assert.NotNull(english);
        var pinned = await library.LoadForRobotAsync(SeedDemo.DemoTenantId, robot.GetProperty("id").GetGuid());
        Assert.NotNull(pinned);
        Assert.Equal(new Aicc.Domain.Robots.ScriptVersion(SeedDemo.DemoScriptId, 1), pinned.Script);
        Assert.Equal("kal16", pinned.Voice);
        Assert.Equal("demo-en", pinned.Document.Id);
        Assert.Null(await library.LoadForRobotAsync(Guid.NewGuid(), robot.GetProperty("id").GetGuid()));
        var recogniser = ScriptRecogniser.Train(english);
        Assert.Equal("transfer_to_human", recogniser.Classify("I want to speak to a human agent").Intent);
    }

    [Fact]
    public async Task GivenTheOpenApiDocument_WhenRead_ThenTheUploadBodyIsTheScriptSchemaWithItsNodeKinds()
    {
        using var document = JsonDocument.Parse(await host.Client.GetStringAsync("/openapi/v1.json"));
        var body = document.RootElement.GetProperty("paths").GetProperty("/api/v1/scripts").GetProperty("post").GetProperty("requestBody");
        var reference = body.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var script = schemas.GetProperty(reference.Split('/')[^1]);
        foreach (var property in new[] { "id", "start", "intents", "nodes", "variables" })
        {
            Assert.True(script.GetProperty("properties").TryGetProperty(property, out _), $"no {property} in {script}");
        }

        var text = document.RootElement.GetRawText();
        foreach (var kind in new[] { "\"say\"", "\"ask\"", "\"branch\"", "\"collectDtmf\"", "\"transfer\"", "\"hangup\"" })
        {
            Assert.Contains(kind, text, StringComparison.Ordinal);
        }
    }
}
