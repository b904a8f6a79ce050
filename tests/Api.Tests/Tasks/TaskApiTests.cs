using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;

namespace Aicc.Api.Tests.Tasks;

public sealed class TaskApiTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<Guid> CreateTaskAsync(HttpClient client, string name, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tasks") { Content = JsonContent.Create(new { name }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response)).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task GivenTenantApiKey_WhenAskingWhoAmI_ThenTheTenantComesFromTheKey()
    {
        var tenant = await host.CreateTenantAsync("Acme");
        using var client = host.ClientWithKey(tenant.ApiKey);

        var me = await Json(await client.GetAsync("/api/v1/me"));

        Assert.Equal(tenant.TenantId.ToString(), me.GetProperty("tenant").GetString());
        Assert.Contains("admin", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task GivenPassword_WhenLoggingIn_ThenTheBearerTokenAuthenticates()
    {
        var tenant = await host.CreateTenantAsync("Login Co", password: "correct horse");
        var login = await host.Client.PostAsJsonAsync("/api/v1/auth/login", new { tenant = tenant.TenantId, login = "admin", password = "correct horse" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await Json(login)).GetProperty("token").GetString();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Authorization = new("Bearer", token);
        var me = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var wrong = await host.Client.PostAsJsonAsync("/api/v1/auth/login", new { tenant = tenant.TenantId, login = "admin", password = "wrong" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task GivenNoName_WhenCreatingTask_ThenValidationProblemNamesTheField()
    {
        var tenant = await host.CreateTenantAsync("Validation Co");
        using var client = host.ClientWithKey(tenant.ApiKey);

        var response = await client.PostAsJsonAsync("/api/v1/tasks", new { name = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("name", out _));
        var list = await Json(await client.GetAsync("/api/v1/tasks"));
        Assert.Equal(0, list.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task GivenSameIdempotencyKey_WhenCreatingTaskTwice_ThenOneTaskExists()
    {
        var tenant = await host.CreateTenantAsync("Retry Co");
        using var client = host.ClientWithKey(tenant.ApiKey);

        var first = await CreateTaskAsync(client, "Spring campaign", "key-1");
        var second = await CreateTaskAsync(client, "Spring campaign", "key-1");
        var other = await CreateTaskAsync(client, "Spring campaign", "key-2");

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        var list = await Json(await client.GetAsync("/api/v1/tasks"));
        Assert.Equal(2, list.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task GivenIdempotencyKeyReusedForAnotherBody_ThenUnprocessable()
    {
        var tenant = await host.CreateTenantAsync("Mismatch Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        await CreateTaskAsync(client, "A", "same-key");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tasks") { Content = JsonContent.Create(new { name = "B" }) };
        request.Headers.Add("Idempotency-Key", "same-key");
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task GivenTwoTenants_ThenNeitherSeesTheOthersTasks()
    {
        var a = await host.CreateTenantAsync("Tenant A");
        var b = await host.CreateTenantAsync("Tenant B");
        using var clientA = host.ClientWithKey(a.ApiKey);
        using var clientB = host.ClientWithKey(b.ApiKey);
        var taskOfA = await CreateTaskAsync(clientA, "A's secret task");

        Assert.Equal(HttpStatusCode.NotFound, (await clientB.GetAsync($"/api/v1/tasks/{taskOfA}")).StatusCode);
        var upload = new StringContent("phone\n13800138000\n", Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.NotFound, (await clientB.PostAsync($"/api/v1/tasks/{taskOfA}/customers", upload)).StatusCode);
        var listOfB = await Json(await clientB.GetAsync("/api/v1/tasks"));
        Assert.Equal(0, listOfB.GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await clientA.GetAsync($"/api/v1/tasks/{taskOfA}")).StatusCode);
    }

    [Fact]
    public async Task GivenTask_WhenRead_ThenETagIsItsVersion()
    {
        var tenant = await host.CreateTenantAsync("ETag Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var taskId = await CreateTaskAsync(client, "Versioned");

        var response = await client.GetAsync($"/api/v1/tasks/{taskId}");
        var body = await Json(response);

        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal("draft", body.GetProperty("state").GetString());
        Assert.Equal("Versioned", body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task GivenCsvWithBadAndDuplicateRows_WhenUploaded_ThenEachIsReportedAndTheRestAccepted()
    {
        var tenant = await host.CreateTenantAsync("Upload Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var taskId = await CreateTaskAsync(client, "Upload");
        const string csv = "phone,name\n13800138000,Li\nnot-a-number,Bad\n+86 139 0013 9000,Han\n138-0013-8000,Dup\n\n010-62345678,Office\n";

        var response = await client.PostAsync($"/api/v1/tasks/{taskId}/customers", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var body = await Json(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, body.GetProperty("accepted").GetInt32());
        var rejected = body.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal([3, 5], rejected.Select(r => r.Item1));
        Assert.Contains("duplicate", rejected[1].Item2);

        var again = await Json(await client.PostAsync($"/api/v1/tasks/{taskId}/customers",
            new StringContent("phone\n13900139000\n13700137000\n", Encoding.UTF8, "text/csv")));
        Assert.Equal(1, again.GetProperty("accepted").GetInt32());
        Assert.Equal(2, again.GetProperty("rejected")[0].GetProperty("row").GetInt32());

        var task = await Json(await client.GetAsync($"/api/v1/tasks/{taskId}"));
        Assert.Equal(4, task.GetProperty("setup").GetProperty("customerCount").GetInt32());
    }

    [Fact]
    public async Task GivenFileWithoutPhoneColumn_WhenUploaded_Then400AndNothingAccepted()
    {
        var tenant = await host.CreateTenantAsync("No Phone Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var taskId = await CreateTaskAsync(client, "Upload");

        var response = await client.PostAsync($"/api/v1/tasks/{taskId}/customers", new StringContent("mobile\n13800138000\n", Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var task = await Json(await client.GetAsync($"/api/v1/tasks/{taskId}"));
        Assert.Equal(0, task.GetProperty("setup").GetProperty("customerCount").GetInt32());
    }
}
