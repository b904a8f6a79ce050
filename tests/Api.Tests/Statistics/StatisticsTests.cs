using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Statistics;

public sealed class StatisticsTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 1, 10, 0, 0, TimeSpan.Zero);

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

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

    private static CallCommand[] Dialed(Guid callId, Guid tenantId, Guid taskId, DateTimeOffset at, string number) =>
    [
        new CallCommand.CreateOutbound(callId, tenantId, taskId, Guid.NewGuid(), PhoneNumber.Parse(number), ValueMap.Empty, at),
        new CallCommand.Dial(callId, 1, Guid.Empty == taskId ? Guid.NewGuid() : taskId, PhoneNumber.Parse("02161234567"), at),
        new CallCommand.ReportRinging(callId, at.AddSeconds(1)),
    ];

    private static async Task<JsonElement> PollAsync(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var body = await Json(await client.GetAsync(path));
            if (done(body) || DateTime.UtcNow > deadline)
            {
                return body;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task GivenCallsAndAgentTime_WhenProjected_ThenProgressLiveStatsAndTheStreamAgree()
    {
        var tenant = await host.CreateTenantAsync("Stats Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var created = await client.PostAsJsonAsync("/api/v1/tasks", new { name = "Stats" });
        var taskId = (await Json(created)).GetProperty("id").GetGuid();
        await Json(await client.PutAsJsonAsync($"/api/v1/tasks/{taskId}", new { retry = new { noAnswer = new { maxAttempts = 1 } } }));
        await Json(await client.PostAsync($"/api/v1/tasks/{taskId}/customers",
            new StringContent("phone\n13800000001\n13800000002\n13800000003\n13800000004\n13800000005\n", Encoding.UTF8, "text/csv")));
        var window = $"from={Uri.EscapeDataString(T0.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(T0.AddMinutes(10).ToString("O"))}";

        using var streamClient = host.ClientWithKey(tenant.ApiKey);
        using var streamResponse = await streamClient.GetAsync($"/api/v1/stats/stream?{window}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", streamResponse.Content.Headers.ContentType?.MediaType);
        using var events = new StreamReader(await streamResponse.Content.ReadAsStreamAsync());
        var first = await NextEventAsync(events);
        Assert.Equal(0, first.GetProperty("totals").GetProperty("placed").GetInt32());

        var agentId = Guid.NewGuid();
        var (answered, noAnswer, busy, dialing, abandoned) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await AgentAsync(tenant.TenantId, agentId,
            new AgentCommand.Create(agentId, tenant.TenantId, tenant.AdminId, "Ann", ValueList.Of("sales"), T0.AddMinutes(-5)),
            new AgentCommand.LogIn(agentId, T0));
        await CallAsync(tenant.TenantId, answered, [
            .. Dialed(answered, tenant.TenantId, taskId, T0, "13800000001"),
            new CallCommand.Answer(answered, T0.AddSeconds(5)),
            new CallCommand.OfferToAgent(answered, agentId, T0.AddSeconds(6)),
            new CallCommand.ConnectAgent(answered, agentId, T0.AddSeconds(7)),
            new CallCommand.HangUp(answered, HangUpParty.Customer, CloseReason.Normal, T0.AddSeconds(67))]);
        await AgentAsync(tenant.TenantId, agentId,
            new AgentCommand.OfferCall(agentId, answered, T0.AddSeconds(6)),
            new AgentCommand.AcceptCall(agentId, answered, T0.AddSeconds(7)),
            new AgentCommand.EndCall(agentId, answered, TimeSpan.Zero, T0.AddSeconds(67)),
            new AgentCommand.LogOut(agentId, T0.AddSeconds(127)));
        await CallAsync(tenant.TenantId, noAnswer, [
            .. Dialed(noAnswer, tenant.TenantId, taskId, T0.AddSeconds(10), "13800000002"),
            new CallCommand.HangUp(noAnswer, HangUpParty.Platform, CloseReason.Normal, T0.AddSeconds(40))]);
        await CallAsync(tenant.TenantId, busy, [
            .. Dialed(busy, tenant.TenantId, taskId, T0.AddSeconds(20), "13800000003"),
            new CallCommand.HangUp(busy, HangUpParty.Platform, CloseReason.BBusy, T0.AddSeconds(22))]);
        await CallAsync(tenant.TenantId, dialing, Dialed(dialing, tenant.TenantId, taskId, T0.AddSeconds(30), "13800000004"));
        await CallAsync(tenant.TenantId, abandoned, [
            .. Dialed(abandoned, tenant.TenantId, taskId, T0.AddSeconds(65), "13800000005"),
            new CallCommand.Answer(abandoned, T0.AddSeconds(70)),
            new CallCommand.HangUp(abandoned, HangUpParty.Customer, CloseReason.Normal, T0.AddSeconds(75))]);

        var progress = await PollAsync(client, $"/api/v1/tasks/{taskId}/progress", p => p.GetProperty("callsEnded").GetInt32() == 4);
        Assert.Equal(5, progress.GetProperty("total").GetInt32());
        Assert.Equal(0, progress.GetProperty("pending").GetInt32());
        Assert.Equal(1, progress.GetProperty("dialing").GetInt32());
        Assert.Equal(1, progress.GetProperty("answered").GetInt32());
        Assert.Equal(2, progress.GetProperty("failed").GetInt32());
        Assert.Equal(1, progress.GetProperty("exhausted").GetInt32());
        Assert.Equal(0.25, progress.GetProperty("answerRate").GetDouble(), 3);
        Assert.Equal(0.5, progress.GetProperty("abandonRate").GetDouble(), 3);

        var live = await PollAsync(client, $"/api/v1/stats/live?{window}", s => s.GetProperty("totals").GetProperty("occupancy").ValueKind == JsonValueKind.Number
            && s.GetProperty("totals").GetProperty("abandoned").GetInt32() == 1);
        var totals = live.GetProperty("totals");
        Assert.Equal(5, totals.GetProperty("placed").GetInt32());
        Assert.Equal(1, totals.GetProperty("answered").GetInt32());
        Assert.Equal(1, totals.GetProperty("abandoned").GetInt32());
        Assert.Equal(60, totals.GetProperty("averageHandleSeconds").GetDouble(), 1);
        Assert.Equal(Math.Round(61.0 / 127, 3), totals.GetProperty("occupancy").GetDouble(), 3);
        Assert.Equal([T0, T0.AddMinutes(1), T0.AddMinutes(2)], live.GetProperty("minutes").EnumerateArray().Select(m => m.GetProperty("minute").GetDateTimeOffset()).ToArray());
        var perTask = await Json(await client.GetAsync($"/api/v1/stats/live?{window}&taskId={taskId}"));
        Assert.Equal(5, perTask.GetProperty("totals").GetProperty("placed").GetInt32());

        JsonElement pushed;
        do
        {
            pushed = await NextEventAsync(events);
        }
        while (pushed.GetProperty("totals").GetProperty("abandoned").GetInt32() < 1);
        Assert.Equal(5, pushed.GetProperty("totals").GetProperty("placed").GetInt32());
    }

    /// <summary>The data of the next SSE event named stats (lines up to a blank line).</summary>
    private static async Task<JsonElement> NextEventAsync(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? name = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("The stream ended.");
            if (line.Length == 0)
            {
                if (name == "stats" && data.Length > 0)
                {
                    return JsonDocument.Parse(data.ToString()).RootElement.Clone();
                }

                (name, data) = (null, new StringBuilder());
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line["data:".Length..].TrimStart());
            }
        }
    }
}
