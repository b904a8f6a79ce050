using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Microsoft.Playwright;

namespace Aicc.Api.Tests.Web;

/// <summary>
/// The agent console and the wallboard driven in a real headless Chromium (Debian's
/// /usr/bin/chromium, installed by scripts/test-deps.sh) against the real host.
/// </summary>
public sealed class ConsoleBrowserTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task GivenAgentSeat_WhenAgentSignsInAndClicksReady_ThenBoardSaysReady_AndWallboardShowsTheAgent()
    {
        var tenant = await host.CreateTenantAsync("Browser Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var registered = await admin.PostAsJsonAsync("/api/v1/employees", new { login = "wang.fang", password = "browser secret 1", role = "agent" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var employeeId = (await Json(registered)).GetProperty("id").GetGuid();
        var seated = await admin.PostAsJsonAsync("/api/v1/agents", new { employeeId, skillGroups = new[] { "sales" } });
        Assert.Equal(HttpStatusCode.Created, seated.StatusCode);
        var agentId = (await Json(seated)).GetProperty("id").GetGuid();

        await using var browser = await BrowserSession.StartAsync(host.Client.BaseAddress!);
        var agentContext = await browser.ContextAsync();
        var console = await browser.OpenAsync(agentContext, "/agent");

        await BrowserSession.SignInAsync(console, tenant.TenantId.ToString(), "wang.fang", "browser secret 1");
        var state = console.Locator("#state");
        await Assertions.Expect(state).ToHaveAttributeAsync("data-state", "offline");
        await console.ClickAsync("#go-ready");
        await Assertions.Expect(state).ToHaveAttributeAsync("data-state", "ready");
        Assert.Equal("ready", (await BoardRowAsync(admin, agentId)).GetProperty("state").GetString());
        await BrowserSession.ScreenshotAsync(console, "agent-console-ready");

        // A second tab reads the same board, so it shows the same state without any click.
        var secondTab = await browser.OpenAsync(agentContext, "/agent");
        await Assertions.Expect(secondTab.Locator("#state")).ToHaveAttributeAsync("data-state", "ready");
        await console.SelectOptionAsync("#reason-choice", "lunch");
        await console.ClickAsync("#go-not-ready");
        await Assertions.Expect(secondTab.Locator("#state")).ToHaveAttributeAsync("data-state", "not_ready");
        await Assertions.Expect(secondTab.Locator("#reason")).ToHaveTextAsync("(Lunch)");
        var row = await BoardRowAsync(admin, agentId);
        Assert.Equal("not_ready", row.GetProperty("state").GetString());
        Assert.Equal("lunch", row.GetProperty("reason").GetString());

        await console.ClickAsync("#language");
        await Assertions.Expect(console.Locator("#go-ready")).ToHaveTextAsync("就绪");
        await Assertions.Expect(state).ToHaveTextAsync("未就绪");
        await Assertions.Expect(console.Locator("#reason")).ToHaveTextAsync("(午餐)");
        await console.SetViewportSizeAsync(390, 844);
        await BrowserSession.ScreenshotAsync(console, "agent-console-narrow-zh");
        Assert.True(await console.IsVisibleAsync("#go-ready"), "the Ready button stays visible on a narrow window");

        var supervisorContext = await browser.ContextAsync();
        var wallboard = await browser.OpenAsync(supervisorContext, "/wallboard");
        await BrowserSession.SignInAsync(wallboard, tenant.TenantId.ToString(), tenant.AdminLogin, tenant.AdminPassword);
        var agentRow = wallboard.Locator($"tr[data-agent-id='{agentId}']");
        await Assertions.Expect(agentRow).ToContainTextAsync(row.GetProperty("displayName").GetString()!);
        await Assertions.Expect(agentRow.Locator(".state")).ToHaveAttributeAsync("data-state", "not_ready");
        await Assertions.Expect(wallboard.Locator("#fig-placed")).ToHaveTextAsync("0");
        await Assertions.Expect(wallboard.Locator("#stream-status")).ToHaveTextAsync("live");

        // The wallboard follows the board: the agent goes ready again and the row changes by itself.
        await console.ClickAsync("#go-ready");
        await Assertions.Expect(agentRow.Locator(".state")).ToHaveAttributeAsync("data-state", "ready");
        await BrowserSession.ScreenshotAsync(wallboard, "wallboard");

        // The supervisor forces the agent to not ready; the board names who did it and the agent's console follows.
        await agentRow.Locator(".force-not-ready").ClickAsync();
        await Assertions.Expect(agentRow.Locator(".state")).ToHaveAttributeAsync("data-state", "not_ready");
        await Assertions.Expect(console.Locator("#state")).ToHaveAttributeAsync("data-state", "not_ready");
        var forced = await BoardRowAsync(admin, agentId);
        Assert.Equal("not_ready", forced.GetProperty("state").GetString());
        Assert.Equal(tenant.AdminId, forced.GetProperty("forcedBy").GetGuid());

        Assert.Empty(browser.Errors);
    }

    private static async Task<JsonElement> BoardRowAsync(HttpClient client, Guid agentId)
    {
        var board = await Json(await client.GetAsync("/api/v1/agents"));
        return board.GetProperty("agents").EnumerateArray().Single(row => row.GetProperty("id").GetGuid() == agentId);
    }
}
