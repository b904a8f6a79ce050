using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.EventStore.Projections;
using Aicc.Handlers.Commands;
using Aicc.Projections.Statistics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicc.Api.Tests.Statistics;

/// <summary>The wallboard's floor per task and skill group, its stream, and the floor projection's rebuild.</summary>
public sealed class FloorTests(RunningHost host) : IClassFixture<RunningHost>
{
    private PostgresEventStore Store => host.Services.GetRequiredService<PostgresEventStore>();

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

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

    private static CallCommand[] Answered(Guid callId, Guid tenantId, Guid? taskId, DateTimeOffset at, string number) =>
    [
        new CallCommand.CreateOutbound(callId, tenantId, taskId, Guid.NewGuid(), PhoneNumber.Parse(number), ValueMap.Empty, at),
        new CallCommand.Dial(callId, 1, Guid.NewGuid(), PhoneNumber.Parse("02161234567"), at),
        new CallCommand.ReportRinging(callId, at.AddSeconds(1)),
        new CallCommand.Answer(callId, at.AddSeconds(3)),
    ];

    [Fact]
    public async Task GivenCallsOfATaskAndAnInboundQueue_WhenProjected_ThenFloorCountsPerTaskAndSkillGroup_TheStreamPushes_AndRebuildIsIdentical()
    {
        var tenant = await host.CreateTenantAsync("Floor Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var taskId = (await Json(await client.PostAsJsonAsync("/api/v1/tasks", new { name = "Renewals" }))).GetProperty("id").GetGuid();
        await Json(await client.PutAsJsonAsync($"/api/v1/tasks/{taskId}", new
        {
            handler = new { kind = "agent_group", skillGroup = "sales" },
            pacing = new { mode = "progressive", abandonCap = 0.1 },
            dispositions = new[] { "interested", "declined" },
        }));
        var (ann, bob) = (Guid.NewGuid(), Guid.NewGuid());
        var now = DateTimeOffset.UtcNow;
        var t0 = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddMinutes(-5);
        await AgentAsync(tenant.TenantId, ann,
            new AgentCommand.Create(ann, tenant.TenantId, tenant.AdminId, "Ann", ValueList.Of("sales"), t0),
            new AgentCommand.LogIn(ann, t0));
        await AgentAsync(tenant.TenantId, bob,
            new AgentCommand.Create(bob, tenant.TenantId, tenant.AdminId, "Bob", ValueList.Of("sales", "support"), t0),
            new AgentCommand.LogIn(bob, t0),
            new AgentCommand.MakeNotReady(bob, "lunch", t0.AddSeconds(1)));

        using var streamClient = host.ClientWithKey(tenant.ApiKey);
        using var streamResponse = await streamClient.GetAsync("/api/v1/stats/floor/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", streamResponse.Content.Headers.ContentType?.MediaType);
        using var events = new StreamReader(await streamResponse.Content.ReadAsStreamAsync());
        var first = await NextEventAsync(events);
        Assert.Equal(0, first.GetProperty("totals").GetProperty("placed").GetInt32());

        var (talked, abandoned, unanswered, queued, live, inbound) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await CallAsync(tenant.TenantId, talked, [
            .. Answered(talked, tenant.TenantId, taskId, t0, "13800000001"),
            new CallCommand.Queue(talked, "sales", t0.AddSeconds(4)),
            new CallCommand.OfferToAgent(talked, ann, t0.AddSeconds(5)),
            new CallCommand.ConnectAgent(talked, ann, t0.AddSeconds(8)),
            new CallCommand.HangUp(talked, HangUpParty.Customer, CloseReason.Normal, t0.AddSeconds(68))]);
        await CallAsync(tenant.TenantId, abandoned, [
            .. Answered(abandoned, tenant.TenantId, taskId, t0.AddSeconds(10), "13800000002"),
            new CallCommand.Queue(abandoned, "sales", t0.AddSeconds(14)),
            new CallCommand.HangUp(abandoned, HangUpParty.Customer, CloseReason.Normal, t0.AddSeconds(30))]);
        await CallAsync(tenant.TenantId, unanswered,
            new CallCommand.CreateOutbound(unanswered, tenant.TenantId, taskId, Guid.NewGuid(), PhoneNumber.Parse("13800000003"), ValueMap.Empty, t0),
            new CallCommand.Dial(unanswered, 1, Guid.NewGuid(), PhoneNumber.Parse("02161234567"), t0),
            new CallCommand.HangUp(unanswered, HangUpParty.Platform, CloseReason.Normal, t0.AddSeconds(30)));
        await CallAsync(tenant.TenantId, queued, [
            .. Answered(queued, tenant.TenantId, taskId, t0.AddSeconds(40), "13800000004"),
            new CallCommand.Queue(queued, "sales", t0.AddSeconds(44))]);
        await CallAsync(tenant.TenantId, live, Answered(live, tenant.TenantId, taskId, t0.AddSeconds(50), "13800000005"));
        await CallAsync(tenant.TenantId, inbound,
            new CallCommand.ReceiveInbound(inbound, tenant.TenantId, Guid.NewGuid(), "+8613900000009", "+862161234567", t0.AddSeconds(60)),
            new CallCommand.Answer(inbound, t0.AddSeconds(61)),
            new CallCommand.Queue(inbound, "support", t0.AddSeconds(62)));

        JsonElement pushed;
        do
        {
            pushed = await NextEventAsync(events);
        }
        while (pushed.GetProperty("totals").GetProperty("placed").GetInt32() < 6 || pushed.GetProperty("totals").GetProperty("waiting").GetInt32() < 2);

        var floor = await Json(await client.GetAsync("/api/v1/stats/floor"));
        Assert.Equal(pushed.GetProperty("totals").ToString(), floor.GetProperty("totals").ToString());
        var totals = floor.GetProperty("totals");
        Assert.Equal((2, 1, 6, 5, 1), Figures(totals));
        Assert.Equal(t0.AddSeconds(44), totals.GetProperty("oldestWaitingSince").GetDateTimeOffset());

        var task = floor.GetProperty("tasks").EnumerateArray().Single();
        Assert.Equal(taskId, task.GetProperty("taskId").GetGuid());
        Assert.Equal("Renewals", task.GetProperty("name").GetString());
        Assert.Equal("sales", task.GetProperty("skillGroup").GetString());
        Assert.Equal(0.1, task.GetProperty("abandonCap").GetDouble(), 6);
        var figures = task.GetProperty("figures");
        Assert.Equal((1, 1, 5, 4, 1), Figures(figures));
        Assert.Equal(0.8, figures.GetProperty("answerRate").GetDouble(), 4);
        Assert.Equal(0.25, figures.GetProperty("abandonRate").GetDouble(), 4);
        Assert.True(task.GetProperty("overCap").GetBoolean());
        Assert.Equal(60, figures.GetProperty("averageHandleSeconds").GetDouble(), 1);
        Assert.Equal(4, task.GetProperty("series").GetProperty("answered").EnumerateArray().Sum(x => x.GetInt32()));
        Assert.Equal(1, task.GetProperty("series").GetProperty("abandoned").EnumerateArray().Sum(x => x.GetInt32()));

        var groups = floor.GetProperty("skillGroups").EnumerateArray().ToDictionary(g => g.GetProperty("skillGroup").GetString()!);
        Assert.Equal(["sales", "support"], groups.Keys.Order().ToArray());
        Assert.Equal((1, 1, 5, 4, 1), Figures(groups["sales"].GetProperty("figures")));
        Assert.Equal((1, 0, 1, 1, 0), Figures(groups["support"].GetProperty("figures")));
        Assert.Equal(1, groups["sales"].GetProperty("agents").GetProperty("ready").GetInt32());
        Assert.Equal(1, groups["sales"].GetProperty("agents").GetProperty("not_ready").GetInt32());
        Assert.False(groups["support"].GetProperty("agents").TryGetProperty("ready", out _));
        Assert.Equal(1, groups["support"].GetProperty("agents").GetProperty("not_ready").GetInt32());
        Assert.Equal(1, floor.GetProperty("agents").GetProperty("not_ready").GetInt32());

        // The queued call is answered by an agent: the stream pushes the move out of waiting.
        var watch = Stopwatch.StartNew();
        await CallAsync(tenant.TenantId, queued,
            new CallCommand.OfferToAgent(queued, ann, DateTimeOffset.UtcNow),
            new CallCommand.ConnectAgent(queued, ann, DateTimeOffset.UtcNow));
        do
        {
            pushed = await NextEventAsync(events);
        }
        while (pushed.GetProperty("totals").GetProperty("waiting").GetInt32() != 1);
        Assert.Equal(2, pushed.GetProperty("totals").GetProperty("inProgress").GetInt32());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"pushed after {watch.Elapsed}; the fallback timer alone would take 5 s");

        await CaughtUpAsync();
        var before = await SnapshotAsync();
        Assert.Contains(queued.ToString(), before);
        await host.Services.GetRequiredService<ProjectionDaemon>().RebuildAsync(FloorProjection.ProjectionName);
        Assert.Equal(before, await SnapshotAsync());
    }

    private static (int Waiting, int InProgress, int Placed, int Answered, int Abandoned) Figures(JsonElement f) => (
        f.GetProperty("waiting").GetInt32(), f.GetProperty("inProgress").GetInt32(), f.GetProperty("placed").GetInt32(),
        f.GetProperty("answered").GetInt32(), f.GetProperty("abandoned").GetInt32());

    private async Task CaughtUpAsync()
    {
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using var command = dataSource.CreateCommand(
                "select coalesce((select position from es_projection_checkpoints where name = $1), 0) >= (select max(seq_id) from es_events)");
            command.Parameters.AddWithValue(FloorProjection.ProjectionName);
            if ((bool)(await command.ExecuteScalarAsync())! || DateTime.UtcNow > deadline)
            {
                return;
            }

            await Task.Delay(100);
        }
    }

    private async Task<string> SnapshotAsync()
    {
        await using var command = host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            """
            select coalesce((select string_agg(row_to_json(c)::text, E'\n' order by tenant, call_id) from floor_calls c), '')
                || coalesce((select string_agg(row_to_json(t)::text, E'\n' order by tenant, task_id) from floor_tasks t), '')
                || coalesce((select string_agg(row_to_json(w)::text, E'\n' order by tenant, agent_id) from floor_agent_wrapup w), '')
            """);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The data of the next SSE event named floor.</summary>
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
                if (name == "floor" && data.Length > 0)
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
