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

namespace Aicc.Api.Tests.Agents;

/// <summary>The agent's own call endpoints: the current call, the disposition, and recent calls.</summary>
public sealed class MyCallsTests(RunningHost host) : IClassFixture<RunningHost>
{
    private PostgresEventStore Store => host.Services.GetRequiredService<PostgresEventStore>();

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<(Guid AgentId, HttpClient Client)> AgentAsync(HttpClient admin, string login)
    {
        var employeeId = (await Json(await admin.PostAsJsonAsync("/api/v1/employees", new { login, password = "long enough", role = "agent" }))).GetProperty("id").GetGuid();
        var key = (await Json(await admin.PostAsJsonAsync($"/api/v1/employees/{employeeId}/api-keys", new { label = "test" }))).GetProperty("apiKey").GetString()!;
        var agentId = (await Json(await admin.PostAsJsonAsync("/api/v1/agents", new { employeeId, skillGroups = new[] { "sales" } }))).GetProperty("id").GetGuid();
        return (agentId, host.ClientWithKey(key));
    }

    private async Task TalkAsync(Guid tenantId, Guid agentId, Guid callId, Guid taskId, DateTimeOffset at, string number)
    {
        foreach (var command in new CallCommand[]
                 {
                     new CallCommand.CreateOutbound(callId, tenantId, taskId, Guid.NewGuid(), PhoneNumber.Parse(number), ValueMap.Of(("name", "Wu")), at),
                     new CallCommand.Dial(callId, 1, Guid.NewGuid(), PhoneNumber.Parse("02161234567"), at),
                     new CallCommand.Answer(callId, at.AddSeconds(2)),
                     new CallCommand.OfferToAgent(callId, agentId, at.AddSeconds(3)),
                     new CallCommand.ConnectAgent(callId, agentId, at.AddSeconds(4)),
                 })
        {
            await CommandRunner.RunAsync(Store, Deciders.Call, Deciders.TenantKey(tenantId), Deciders.Call.StreamId(callId), command);
        }

        foreach (var command in new AgentCommand[]
                 {
                     new AgentCommand.LogIn(agentId, at),
                     new AgentCommand.OfferCall(agentId, callId, at.AddSeconds(3)),
                     new AgentCommand.AcceptCall(agentId, callId, at.AddSeconds(4)),
                 })
        {
            await CommandRunner.RunAsync(Store, Deciders.Agent, Deciders.TenantKey(tenantId), Deciders.Agent.StreamId(agentId), command);
        }
    }

    [Fact]
    public async Task GivenTwoAgentsOnCalls_WhenEachReadsTheirCalls_ThenEachSeesOnlyTheirOwn_AndOnlyTheAgentOnTheCallSetsItsDisposition()
    {
        var tenant = await host.CreateTenantAsync("My Calls Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var taskId = (await Json(await admin.PostAsJsonAsync("/api/v1/tasks", new { name = "Upsell" }))).GetProperty("id").GetGuid();
        await Json(await admin.PutAsJsonAsync($"/api/v1/tasks/{taskId}", new { dispositions = new[] { "sold", "not_now" } }));
        var (ann, annClient) = await AgentAsync(admin, "ann");
        var (bob, bobClient) = await AgentAsync(admin, "bob");
        var (_, idleClient) = await AgentAsync(admin, "carl");

        Assert.Equal(HttpStatusCode.NoContent, (await idleClient.GetAsync("/api/v1/agents/me/call")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/agents/me/calls")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await annClient.GetAsync("/api/v1/agents/me/calls?limit=0")).StatusCode);

        var (annCall, bobCall) = (Guid.NewGuid(), Guid.NewGuid());
        var now = DateTimeOffset.UtcNow;
        await TalkAsync(tenant.TenantId, ann, annCall, taskId, now, "13800000001");
        await TalkAsync(tenant.TenantId, bob, bobCall, taskId, now, "13800000002");

        var current = await Json(await annClient.GetAsync("/api/v1/agents/me/call"));
        Assert.Equal(annCall, current.GetProperty("callId").GetGuid());
        Assert.Equal("on_call", current.GetProperty("agentState").GetString());
        Assert.Equal("with_agent", current.GetProperty("callState").GetString());
        Assert.Equal("+8613800000001", current.GetProperty("called").GetString());
        Assert.Equal("Wu", current.GetProperty("variables").GetProperty("name").GetString());
        Assert.Equal(["sold", "not_now"], current.GetProperty("dispositions").EnumerateArray().Select(d => d.GetString()!).ToArray());

        Assert.Equal(HttpStatusCode.Forbidden, (await bobClient.PostAsJsonAsync($"/api/v1/calls/{annCall}/disposition", new { disposition = "sold" })).StatusCode);
        var refused = await annClient.PostAsJsonAsync($"/api/v1/calls/{annCall}/disposition", new { disposition = "maybe" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var saved = await Json(await annClient.PostAsJsonAsync($"/api/v1/calls/{annCall}/disposition", new { disposition = "sold", note = "gold plan" }));
        Assert.Equal("sold", saved.GetProperty("disposition").GetString());

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement mine;
        do
        {
            await Task.Delay(100);
            mine = await Json(await annClient.GetAsync("/api/v1/agents/me/calls"));
        }
        while (DateTime.UtcNow < deadline && (mine.GetProperty("items").GetArrayLength() == 0 || mine.GetProperty("items")[0].GetProperty("disposition").ValueKind != JsonValueKind.String));

        var item = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.Equal(annCall, item.GetProperty("callId").GetGuid());
        Assert.Equal("+8613800000001", item.GetProperty("customer").GetString());
        Assert.Equal("Upsell", item.GetProperty("taskName").GetString());
        Assert.Equal("sold", item.GetProperty("disposition").GetString());
        Assert.Equal("gold plan", item.GetProperty("dispositionNote").GetString());
        Assert.Equal(ann, mine.GetProperty("agentId").GetGuid());
        var theirs = await Json(await bobClient.GetAsync("/api/v1/agents/me/calls"));
        Assert.DoesNotContain(theirs.GetProperty("items").EnumerateArray(), call => call.GetProperty("callId").GetGuid() == annCall);
    }
}
