using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Api.Tests.Calls;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Aicc.Api.Tests.Web;

/// <summary>
/// The wallboard's Listen button in headless Chromium: offered only for an agent on a call, in
/// both languages, and it sends the monitor request. This host carries no calls, so the request
/// comes back naming the node that carries the call, which the page shows.
/// </summary>
public sealed class WallboardListenBrowserTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task GivenAnAgentOnACall_WhenTheSupervisorClicksListen_ThenTheMonitorIsRequestedAndTheAnswerShown_InBothLanguages()
    {
        var tenant = await host.CreateTenantAsync("Listen Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var registered = await admin.PostAsJsonAsync("/api/v1/employees", new { login = "li.na", password = "browser secret 1", role = "agent" });
        var employeeId = (await Json(registered)).GetProperty("id").GetGuid();
        var agentId = (await Json(await admin.PostAsJsonAsync("/api/v1/agents", new { employeeId, skillGroups = new[] { "sales" } }))).GetProperty("id").GetGuid();
        var idleId = await IdleAgentAsync(admin);
        // The admin's own seat is the phone a monitor would ring.
        var adminSeat = (await Json(await admin.PostAsJsonAsync("/api/v1/agents", new { employeeId = tenant.AdminId, skillGroups = new[] { "supervisors" } }))).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/agents/{adminSeat}/sip-credentials", new { username = "boss", password = "phone-pass-1" })).StatusCode);
        var callId = await DistributedCalls.ConnectedElsewhereAsync(host.Services.GetRequiredService<PostgresEventStore>(), tenant.TenantId, agentId);

        await using var browser = await BrowserSession.StartAsync(host.Client.BaseAddress!);
        var wallboard = await browser.OpenAsync(await browser.ContextAsync(), "/wallboard");
        await BrowserSession.SignInAsync(wallboard, tenant.TenantId.ToString(), tenant.AdminLogin, tenant.AdminPassword);
        var onCall = wallboard.Locator($"tr[data-agent-id='{agentId}'] .listen");
        await Assertions.Expect(onCall).ToBeEnabledAsync();
        await Assertions.Expect(onCall).ToHaveTextAsync("Listen");
        await Assertions.Expect(wallboard.Locator($"tr[data-agent-id='{idleId}'] .listen")).ToBeDisabledAsync();

        await wallboard.ClickAsync("#language");
        await Assertions.Expect(onCall).ToHaveTextAsync("监听");
        var request = wallboard.WaitForRequestAsync(r => r.Url.EndsWith($"/api/v1/calls/{callId}/monitor", StringComparison.Ordinal) && r.Method == "POST");
        await onCall.ClickAsync();
        Assert.Equal("{\"mode\":\"listen\"}", (await request).PostData);
        await Assertions.Expect(wallboard.Locator("#action-error")).ToContainTextAsync("node-elsewhere");
        await BrowserSession.ScreenshotAsync(wallboard, "wallboard-listen-zh");
        Assert.DoesNotContain(browser.Errors, e => !e.Contains("409", StringComparison.Ordinal));
    }

    private static async Task<Guid> IdleAgentAsync(HttpClient admin)
    {
        var registered = await admin.PostAsJsonAsync("/api/v1/employees", new { login = "zhao.lei", password = "browser secret 2", role = "agent" });
        var employeeId = (await Json(registered)).GetProperty("id").GetGuid();
        return (await Json(await admin.PostAsJsonAsync("/api/v1/agents", new { employeeId, skillGroups = new[] { "sales" } }))).GetProperty("id").GetGuid();
    }
}
