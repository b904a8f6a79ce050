using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Aicc.EventStore;
using Aicc.Handlers.Tenants.SuspendingTenant;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Tenants;

public sealed class TenantApiTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static Task<HttpResponseMessage> PutSettingsAsync(HttpClient client, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/tenant/settings") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }

        return client.SendAsync(request);
    }

    private PostgresEventStore Store => host.Services.GetRequiredService<PostgresEventStore>();

    [Fact]
    public async Task GivenATenant_WhenItsAdminChangesSettings_ThenTheyAreKept_AndBadFieldsOrStaleETagsChangeNothing()
    {
        var tenant = await host.CreateTenantAsync("Settings Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var read = await admin.GetAsync("/api/v1/tenant");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var before = await Json(read);
        Assert.Equal("active", before.GetProperty("state").GetString());
        Assert.Equal("Asia/Shanghai", before.GetProperty("settings").GetProperty("timeZone").GetString());
        var etag = read.Headers.ETag!.Tag;

        var bad = await PutSettingsAsync(admin, new { timeZone = "Mars/Olympus_Mons", defaultCallerId = "12", recordCalls = false }, etag);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await Json(bad)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("timeZone", out _));
        Assert.True(errors.TryGetProperty("defaultCallerId", out _));
        Assert.True((await Json(await admin.GetAsync("/api/v1/tenant"))).GetProperty("settings").GetProperty("recordCalls").GetBoolean());

        var changed = await PutSettingsAsync(admin, new { timeZone = "Europe/Berlin", defaultCallerId = "+86 21 6000 0000", recordCalls = false }, etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var settings = (await Json(changed)).GetProperty("settings");
        Assert.Equal("Europe/Berlin", settings.GetProperty("timeZone").GetString());
        Assert.Equal("+862160000000", settings.GetProperty("defaultCallerId").GetString());
        Assert.False(settings.GetProperty("recordCalls").GetBoolean());

        var stale = await PutSettingsAsync(admin, new { recordCalls = true }, etag);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var cleared = await PutSettingsAsync(admin, new { defaultCallerId = "" }, changed.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        var after = (await Json(await admin.GetAsync("/api/v1/tenant"))).GetProperty("settings");
        Assert.Equal(JsonValueKind.Null, after.GetProperty("defaultCallerId").ValueKind);
        Assert.Equal("Europe/Berlin", after.GetProperty("timeZone").GetString());
        Assert.False(after.GetProperty("recordCalls").GetBoolean());
    }

    [Fact]
    public async Task GivenASupervisor_WhenChangingSettings_Then403ButReadingWorks()
    {
        var tenant = await host.CreateTenantAsync("Supervised Settings Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var registered = await admin.PostAsJsonAsync("/api/v1/employees", new { login = "sam", password = "long enough", role = "supervisor" });
        var id = (await Json(registered)).GetProperty("id").GetGuid();
        var issued = await admin.PostAsJsonAsync($"/api/v1/employees/{id}/api-keys", new { label = "test" });
        using var supervisor = host.ClientWithKey((await Json(issued)).GetProperty("apiKey").GetString()!);

        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync("/api/v1/tenant")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutSettingsAsync(supervisor, new { recordCalls = false }, null)).StatusCode);
    }

    [Fact]
    public async Task GivenASuspendedTenant_WhenItsCredentialsAreUsed_ThenEveryApiRouteAnswers403TenantSuspended_AndActivationRestoresItsData()
    {
        var tenant = await host.CreateTenantAsync("Suspended Co", password: "admin password 1");
        var bystander = await host.CreateTenantAsync("Bystander Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        using var other = host.ClientWithKey(bystander.ApiKey);
        var created = await client.PostAsJsonAsync("/api/v1/tasks", new { name = "Kept" });
        var taskId = (await Json(created)).GetProperty("id").GetGuid();
        // Fresh clients without cookies: a successful login sets the session cookie on its client.
        HttpClient Anonymous() => new() { BaseAddress = host.Client.BaseAddress };
        using var loginClient = Anonymous();
        var login = await loginClient.PostAsJsonAsync("/api/v1/auth/login", new { tenant = tenant.TenantId, login = "admin", password = "admin password 1" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var session = new HttpClient { BaseAddress = host.Client.BaseAddress };
        session.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await Json(login)).GetProperty("token").GetString());

        var suspended = await SuspendTenant.SuspendAsync(Store, tenant.TenantId, "unpaid invoice", TimeProvider.System, CancellationToken.None);
        Assert.Equal("suspended", suspended.State);

        foreach (var (caller, method, path) in new[]
                 {
                     (client, HttpMethod.Get, "/api/v1/tasks"), (client, HttpMethod.Get, $"/api/v1/tasks/{taskId}"),
                     (client, HttpMethod.Post, "/api/v1/tasks"), (client, HttpMethod.Get, "/api/v1/tenant"),
                     (client, HttpMethod.Get, "/api/v1/scripts"), (session, HttpMethod.Get, "/api/v1/agents"),
                 })
        {
            var response = await caller.SendAsync(new HttpRequestMessage(method, path) { Content = method == HttpMethod.Post ? JsonContent.Create(new { name = "x" }) : null });
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("tenant_suspended", (await Json(response)).GetProperty("code").GetString());
        }

        using var anonymous = Anonymous();
        var refusedLogin = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { tenant = tenant.TenantId, login = "admin", password = "admin password 1" });
        Assert.Equal(HttpStatusCode.Forbidden, refusedLogin.StatusCode);
        Assert.Equal("tenant_suspended", (await Json(refusedLogin)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { tenant = tenant.TenantId, login = "admin", password = "wrong password" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/tasks")).StatusCode);

        await SuspendTenant.ActivateAsync(Store, tenant.TenantId, TimeProvider.System, CancellationToken.None);
        var task = await client.GetAsync($"/api/v1/tasks/{taskId}");
        Assert.Equal(HttpStatusCode.OK, task.StatusCode);
        Assert.Equal("Kept", (await Json(task)).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/v1/agents")).StatusCode);
        Assert.Equal(1, (await Json(await client.GetAsync("/api/v1/tasks"))).GetProperty("total").GetInt64());
    }
}
