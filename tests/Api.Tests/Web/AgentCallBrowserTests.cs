using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Aicc.Api.Tests.Web;

/// <summary>
/// The agent console around a call in a real Chromium: the pop-up of a call offered through the
/// command path, the shortcuts, the wrap-up countdown, the disposition stored as an event and
/// shown in the call record, and the agent's recent calls with the recording, in both languages.
/// </summary>
public sealed class AgentCallBrowserTests(RunningHost host) : IClassFixture<RunningHost>
{
    private PostgresEventStore Store => host.Services.GetRequiredService<PostgresEventStore>();

    private async Task CallAsync(Guid tenantId, Guid callId, params CallCommand[] commands)
    {
        foreach (var command in commands)
        {
            await CommandRunner.RunAsync(Store, Deciders.Call, Deciders.TenantKey(tenantId), Deciders.Call.StreamId(callId), command);
        }
    }

    private async Task AgentAsync(Guid tenantId, Guid agentId, params AgentCommand[] commands)
    {
        foreach (var command in commands)
        {
            await CommandRunner.RunAsync(Store, Deciders.Agent, Deciders.TenantKey(tenantId), Deciders.Agent.StreamId(agentId), command);
        }
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task GivenAgentReady_WhenACallIsOfferedConnectedAndEnded_ThenPopUpShortcutsCountdownDispositionAndRecentCallsWork()
    {
        var tenant = await host.CreateTenantAsync("Console Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var employeeId = (await Json(await admin.PostAsJsonAsync("/api/v1/employees", new { login = "zhang.wei", password = "console secret 1", role = "agent" })))
            .GetProperty("id").GetGuid();
        var agentId = (await Json(await admin.PostAsJsonAsync("/api/v1/agents", new { employeeId, skillGroups = new[] { "sales" } }))).GetProperty("id").GetGuid();
        var taskId = (await Json(await admin.PostAsJsonAsync("/api/v1/tasks", new { name = "Renewals" }))).GetProperty("id").GetGuid();
        await Json(await admin.PutAsJsonAsync($"/api/v1/tasks/{taskId}", new
        {
            handler = new { kind = "agent_group", skillGroup = "sales" },
            dispositions = new[] { "interested", "call_back", "declined" },
        }));

        await using var browser = await BrowserSession.StartAsync(host.Client.BaseAddress!);
        var context = await browser.ContextAsync();
        var page = await browser.OpenAsync(context, "/agent");
        await BrowserSession.SignInAsync(page, tenant.TenantId.ToString(), "zhang.wei", "console secret 1");
        await page.ClickAsync("#go-ready");
        await Assertions.Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "ready");
        await Assertions.Expect(page.Locator("#recent")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#no-recent")).ToBeVisibleAsync();

        // The call is answered by the customer, queued for sales and offered to the agent, as the distributor does it.
        var callId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await CallAsync(tenant.TenantId, callId,
            new CallCommand.CreateOutbound(callId, tenant.TenantId, taskId, Guid.NewGuid(), PhoneNumber.Parse("13800138000"),
                ValueMap.Of(("name", "Chen Jie"), ("plan", "Gold")), now),
            new CallCommand.Dial(callId, 1, Guid.NewGuid(), PhoneNumber.Parse("02161234567"), now),
            new CallCommand.ReportRinging(callId, now.AddSeconds(1)),
            new CallCommand.Answer(callId, now.AddSeconds(3)),
            new CallCommand.Queue(callId, "sales", now.AddSeconds(3)),
            new CallCommand.OfferToAgent(callId, agentId, now.AddSeconds(4)));
        await AgentAsync(tenant.TenantId, agentId, new AgentCommand.OfferCall(agentId, callId, now.AddSeconds(4)));

        var popUp = page.Locator("#call");
        await Assertions.Expect(popUp).ToBeVisibleAsync();
        await Assertions.Expect(popUp).ToHaveAttributeAsync("data-call-id", callId.ToString());
        await Assertions.Expect(page.Locator("#call-badge")).ToHaveAttributeAsync("data-state", "ringing");
        await Assertions.Expect(page.Locator("#call-customer")).ToHaveTextAsync("+8613800138000");
        await Assertions.Expect(page.Locator("#call-task")).ToHaveTextAsync("Renewals");
        await Assertions.Expect(page.Locator("#call-variables")).ToContainTextAsync("Chen Jie");
        await Assertions.Expect(page.Locator("#call-variables")).ToContainTextAsync("Gold");
        await Assertions.Expect(page.Locator("#call-answer")).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(page, "agent-call-popup");

        // Alt+A answers with the browser phone; this page has none, so it says where to answer.
        await page.Keyboard.PressAsync("Alt+A");
        await Assertions.Expect(page.Locator("#call-hint")).ToHaveTextAsync("No browser phone here: answer on your phone.");

        var connected = DateTimeOffset.UtcNow;
        await CallAsync(tenant.TenantId, callId,
            new CallCommand.ConnectAgent(callId, agentId, connected),
            new CallCommand.StartRecording(callId, callId, connected));
        await AgentAsync(tenant.TenantId, agentId, new AgentCommand.AcceptCall(agentId, callId, connected));
        await Assertions.Expect(page.Locator("#call-badge")).ToHaveAttributeAsync("data-state", "on_call");
        await Assertions.Expect(popUp).ToHaveAttributeAsync("data-call-state", "with_agent");
        await Assertions.Expect(page.Locator("#call-answer")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#call-hangup")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#disposition-choice option")).ToHaveTextAsync(["Choose…", "interested", "call_back", "declined"]);
        await Assertions.Expect(page.Locator("#transfer-target option")).ToHaveTextAsync(["Skill group: sales"]);

        // Alt+H hangs up through the call distributor's endpoint. No distributor carries this
        // call (no media here), so the server refuses and the page shows the refusal.
        var hangUp = await page.RunAndWaitForResponseAsync(
            () => page.Keyboard.PressAsync("Alt+H"),
            response => response.Url.EndsWith($"/api/v1/calls/{callId}/hangup", StringComparison.Ordinal) && response.Request.Method == "POST");
        Assert.False(hangUp.Ok);
        await Assertions.Expect(page.Locator("#call-error")).ToContainTextAsync("The request failed");
        lock (browser.Errors)
        {
            // The refused request is the one error the browser logs on purpose here.
            Assert.Single(browser.Errors, e => e.Contains("/hangup", StringComparison.Ordinal));
            browser.Errors.RemoveAll(e => e.Contains("/hangup", StringComparison.Ordinal));
        }

        // The customer hangs up: 30 s of wrap-up, counted down on the page.
        var ended = DateTimeOffset.UtcNow;
        await CallAsync(tenant.TenantId, callId,
            new CallCommand.HangUp(callId, HangUpParty.Customer, CloseReason.Normal, ended),
            new CallCommand.StopRecording(callId, callId, "https://recordings.example/console-call.wav", ended));
        await AgentAsync(tenant.TenantId, agentId, new AgentCommand.EndCall(agentId, callId, TimeSpan.FromSeconds(30), ended));
        await Assertions.Expect(page.Locator("#call-badge")).ToHaveAttributeAsync("data-state", "after_call_work");
        await Assertions.Expect(page.Locator("#acw")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#acw-countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^00:(2\\d|30)$"));
        var first = await page.Locator("#acw-countdown").TextContentAsync();
        await Assertions.Expect(page.Locator("#acw-countdown")).Not.ToHaveTextAsync(first!, new() { Timeout = 3000 });
        var second = await page.Locator("#acw-countdown").TextContentAsync();
        Assert.True(string.CompareOrdinal(second, first) < 0, $"the countdown went from {first} to {second}");
        await Assertions.Expect(page.Locator("#call-hangup")).ToBeHiddenAsync();
        await BrowserSession.ScreenshotAsync(page, "agent-after-call-work");

        await page.SelectOptionAsync("#disposition-choice", "call_back");
        await page.FillAsync("#disposition-note", "wants a call on Friday");
        await page.ClickAsync("#disposition button[type=submit]");
        await Assertions.Expect(page.Locator("#disposition-saved")).ToHaveAttributeAsync("data-saved", "call_back");

        var history = await Json(await admin.GetAsync($"/api/v1/calls/{callId}/events"));
        var disposed = history.EnumerateArray().Last();
        Assert.Equal("call.disposition_set.v1", disposed.GetProperty("type").GetString());
        Assert.Contains("call_back", disposed.ToString(), StringComparison.Ordinal);
        var record = await PollAsync(admin, $"/api/v1/calls/{callId}", r => r.GetProperty("disposition").ValueKind == JsonValueKind.String);
        Assert.Equal("call_back", record.GetProperty("disposition").GetString());
        Assert.Equal("wants a call on Friday", record.GetProperty("dispositionNote").GetString());
        Assert.Equal(agentId, record.GetProperty("agentId").GetGuid());

        var row = page.Locator($"#recent-calls tr[data-call-id='{callId}']");
        await Assertions.Expect(row.Locator(".disposition")).ToHaveTextAsync("call_back");
        await Assertions.Expect(row.Locator(".customer")).ToHaveTextAsync("+8613800138000");
        await Assertions.Expect(row.Locator(".outcome")).ToHaveTextAsync("Answered");
        await Assertions.Expect(row.Locator(".recording a")).ToHaveAttributeAsync("href", "https://recordings.example/console-call.wav");

        await page.ClickAsync("#language");
        await Assertions.Expect(page.Locator("#recent h2")).ToHaveTextAsync("我的最近通话");
        await Assertions.Expect(page.Locator("#call-badge")).ToHaveTextAsync("话后处理");
        await Assertions.Expect(page.Locator("#acw-done")).ToHaveTextAsync("立即就绪");
        await Assertions.Expect(row.Locator(".outcome")).ToHaveTextAsync("已接通");
        await page.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(page.Locator("#acw-done")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth");
        await BrowserSession.ScreenshotAsync(page, "agent-after-call-work-narrow-zh");

        // Wrap-up ends early: the agent is ready again and the pop-up goes away.
        await page.ClickAsync("#acw-done");
        await Assertions.Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "ready");
        await Assertions.Expect(popUp).ToBeHiddenAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/calls/{callId}")).StatusCode);

        Assert.Empty(browser.Errors);
    }

    private static async Task<JsonElement> PollAsync(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await client.GetAsync(path);
            if (response.IsSuccessStatusCode)
            {
                var body = await Json(response);
                if (done(body) || DateTime.UtcNow > deadline)
                {
                    return body;
                }
            }
            else if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{path}: {(int)response.StatusCode}");
            }

            await Task.Delay(100);
        }
    }
}
