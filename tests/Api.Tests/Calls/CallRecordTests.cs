using System.Net;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.EventStore.Projections;
using Aicc.Handlers.Commands;
using Aicc.Projections.Calls;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicc.Api.Tests.Calls;

public sealed class CallRecordTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task RunAsync(Guid tenantId, Guid callId, params CallCommand[] commands)
    {
        var store = host.Services.GetRequiredService<PostgresEventStore>();
        foreach (var command in commands)
        {
            await CommandRunner.RunAsync(store, Deciders.Call, Deciders.TenantKey(tenantId), Deciders.Call.StreamId(callId), command,
                metadata: new EventMetadata(CorrelationId: callId.ToString(), User: "telephony-test"));
        }
    }

    private static async Task<JsonElement> WaitForCallsAsync(HttpClient client, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var page = await Json(await client.GetAsync("/api/v1/calls?limit=500"));
            var closed = page.GetProperty("items").EnumerateArray().Count(c => c.GetProperty("state").GetString() == "close");
            if (closed >= count || DateTime.UtcNow > deadline)
            {
                Assert.Equal(count, closed);
                return page;
            }

            await Task.Delay(100);
        }
    }

    private static CallCommand[] AnsweredByAgent(Guid callId, Guid tenantId, Guid taskId, Guid agentId, Guid lineId) =>
    [
        new CallCommand.CreateOutbound(callId, tenantId, taskId, Guid.NewGuid(), PhoneNumber.Parse("13800138000"), ValueMap.Of(("order", "A-17")), T0),
        new CallCommand.Dial(callId, 1, lineId, PhoneNumber.Parse("02161234567"), T0.AddSeconds(1)),
        new CallCommand.ReportRinging(callId, T0.AddSeconds(2)),
        new CallCommand.Answer(callId, T0.AddSeconds(5)),
        new CallCommand.OfferToAgent(callId, agentId, T0.AddSeconds(6)),
        new CallCommand.ConnectAgent(callId, agentId, T0.AddSeconds(7)),
        new CallCommand.StartRecording(callId, callId, T0.AddSeconds(7)),
        new CallCommand.HangUp(callId, HangUpParty.Customer, CloseReason.Normal, T0.AddSeconds(67)),
        new CallCommand.StopRecording(callId, callId, "https://recordings.example/a.wav", T0.AddSeconds(68)),
        new CallCommand.SetDisposition(callId, agentId, "interested", "call back Friday", ValueList.Of("interested", "declined"), T0.AddSeconds(80)),
    ];

    [Fact]
    public async Task GivenCallEvents_WhenTheDaemonCatchesUp_ThenRecordsHaveSeed001Columns_FiltersPageAndExportWork_AndRebuildIsIdentical()
    {
        var a = await host.CreateTenantAsync("Calls A");
        var b = await host.CreateTenantAsync("Calls B");
        using var client = host.ClientWithKey(a.ApiKey);
        using var otherClient = host.ClientWithKey(b.ApiKey);
        var (taskId, agentId, lineId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (answered, unanswered, abandoned, foreign) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await RunAsync(a.TenantId, answered, AnsweredByAgent(answered, a.TenantId, taskId, agentId, lineId));
        await RunAsync(a.TenantId, unanswered,
            new CallCommand.CreateOutbound(unanswered, a.TenantId, taskId, Guid.NewGuid(), PhoneNumber.Parse("13900139000"), ValueMap.Empty, T0.AddMinutes(1)),
            new CallCommand.Dial(unanswered, 1, lineId, PhoneNumber.Parse("02161234567"), T0.AddMinutes(1)),
            new CallCommand.ReportRinging(unanswered, T0.AddMinutes(1).AddSeconds(1)),
            new CallCommand.HangUp(unanswered, HangUpParty.Platform, CloseReason.BUnreachable, T0.AddMinutes(1).AddSeconds(31)));
        await RunAsync(a.TenantId, abandoned,
            new CallCommand.CreateOutbound(abandoned, a.TenantId, null, null, PhoneNumber.Parse("13700137000"), ValueMap.Empty, T0.AddMinutes(2)),
            new CallCommand.Dial(abandoned, 1, lineId, PhoneNumber.Parse("02161234567"), T0.AddMinutes(2)),
            new CallCommand.Answer(abandoned, T0.AddMinutes(2).AddSeconds(4)),
            new CallCommand.HangUp(abandoned, HangUpParty.Customer, CloseReason.Normal, T0.AddMinutes(2).AddSeconds(9)));
        await RunAsync(b.TenantId, foreign, AnsweredByAgent(foreign, b.TenantId, taskId, agentId, lineId));

        var page = await WaitForCallsAsync(client, 3);

        Assert.Equal(3, page.GetProperty("total").GetInt64());
        var record = await Json(await client.GetAsync($"/api/v1/calls/{answered}"));
        Assert.Equal("outbound", record.GetProperty("direction").GetString());
        Assert.Equal("+862161234567", record.GetProperty("caller").GetString());
        Assert.Equal("+8613800138000", record.GetProperty("called").GetString());
        Assert.Equal("close", record.GetProperty("state").GetString());
        Assert.Equal(T0.AddSeconds(1), record.GetProperty("bCallTime").GetDateTimeOffset());
        Assert.Equal(T0.AddSeconds(5), record.GetProperty("bOffhookTime").GetDateTimeOffset());
        Assert.Equal(T0.AddSeconds(6), record.GetProperty("aCallTime").GetDateTimeOffset());
        Assert.Equal(T0.AddSeconds(7), record.GetProperty("aOffhookTime").GetDateTimeOffset());
        Assert.Equal(T0.AddSeconds(7), record.GetProperty("connTime").GetDateTimeOffset());
        Assert.Equal(T0.AddSeconds(67), record.GetProperty("closeTime").GetDateTimeOffset());
        Assert.Equal(60, record.GetProperty("duration").GetInt32());
        Assert.Equal(0, record.GetProperty("closeType").GetInt32());
        Assert.Equal("answered", record.GetProperty("outcome").GetString());
        Assert.Equal("https://recordings.example/a.wav", record.GetProperty("recordingUrl").GetString());
        Assert.Equal("A-17", record.GetProperty("bizData").GetProperty("order").GetString());
        Assert.Equal(taskId, record.GetProperty("taskId").GetGuid());
        Assert.Equal(agentId, record.GetProperty("agentId").GetGuid());
        Assert.Equal("interested", record.GetProperty("disposition").GetString());
        var missed = await Json(await client.GetAsync($"/api/v1/calls/{unanswered}"));
        Assert.Equal(2, missed.GetProperty("closeType").GetInt32());
        Assert.Equal(0, missed.GetProperty("duration").GetInt32());

        Assert.Equal(new[] { answered, unanswered }.Order(), Ids(await Json(await client.GetAsync($"/api/v1/calls?taskId={taskId}"))).Order());
        Assert.Equal([answered], Ids(await Json(await client.GetAsync($"/api/v1/calls?agentId={agentId}"))));
        Assert.Equal([abandoned], Ids(await Json(await client.GetAsync("/api/v1/calls?outcome=abandoned"))));
        Assert.Equal([unanswered], Ids(await Json(await client.GetAsync($"/api/v1/calls?number={Uri.EscapeDataString("+8613900139000")}"))));
        Assert.Equal([answered], Ids(await Json(await client.GetAsync($"/api/v1/calls?from={Uri.EscapeDataString(T0.ToString("O"))}&to={Uri.EscapeDataString(T0.AddSeconds(30).ToString("O"))}"))));
        var paged = await Json(await client.GetAsync("/api/v1/calls?limit=2&offset=2"));
        Assert.Equal([answered], Ids(paged));
        Assert.Equal(3, paged.GetProperty("total").GetInt64());

        var history = await Json(await client.GetAsync($"/api/v1/calls/{answered}/events"));
        Assert.Equal(10, history.GetArrayLength());
        Assert.Equal("call.hung_up.v1", history[7].GetProperty("type").GetString());
        Assert.Equal("telephony-test", history[0].GetProperty("metadata").GetProperty("user").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/calls/{foreign}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/calls/{foreign}/events")).StatusCode);
        Assert.DoesNotContain(answered, Ids(await Json(await otherClient.GetAsync("/api/v1/calls"))));

        var export = await client.GetAsync($"/api/v1/calls/export?from={Uri.EscapeDataString(T0.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(T0.AddMinutes(5).ToString("O"))}");
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("call_id,tenant,direction,caller,called,", lines[0]);
        Assert.StartsWith($"{answered},{a.TenantId},outbound,+862161234567,+8613800138000,", lines[1]);
        Assert.DoesNotContain(lines, line => line.Contains(foreign.ToString(), StringComparison.Ordinal));

        var replay = new StringWriter();
        Assert.Equal(10, await Aicc.Api.Cli.AnalystVerbs.WriteReplayAsync(host.Services.GetRequiredService<PostgresEventStore>(), a.TenantId.ToString(), answered, replay, CancellationToken.None));
        var replayed = replay.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        Assert.Equal("call.outbound_created.v1", replayed[0].GetProperty("type").GetString());
        Assert.Equal(T0, replayed[0].GetProperty("data").GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(answered.ToString(), replayed[0].GetProperty("metadata").GetProperty("correlationId").GetString());
        Assert.Equal(0, await Aicc.Api.Cli.AnalystVerbs.WriteReplayAsync(host.Services.GetRequiredService<PostgresEventStore>(), b.TenantId.ToString(), answered, new StringWriter(), CancellationToken.None));

        await CaughtUpAsync();
        var before = await SnapshotAsync();
        Assert.Equal(4, before.Split('\n').Length);
        await host.Services.GetRequiredService<ProjectionDaemon>().RebuildAsync(CallRecordsProjection.ProjectionName);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task GivenARobotCallHandedToAnAgent_WhenRecorded_ThenConnectTimeAndDurationCountFromTheRobotsAnswer_AgentConnectTimeFromTheAgents_AndRebuildIsIdentical()
    {
        var tenant = await host.CreateTenantAsync("Calls Hand-over");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var (callId, robotOnly, agentId, robotId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var lineId = Guid.NewGuid();
        var script = new Aicc.Domain.Robots.ScriptVersion(Guid.NewGuid(), 1);
        await RunAsync(tenant.TenantId, callId,
            new CallCommand.CreateOutbound(callId, tenant.TenantId, null, null, PhoneNumber.Parse("13800138001"), ValueMap.Empty, T0),
            new CallCommand.Dial(callId, 1, lineId, PhoneNumber.Parse("02161234567"), T0.AddSeconds(1)),
            new CallCommand.Answer(callId, T0.AddSeconds(4)),
            new CallCommand.ConnectRobot(callId, robotId, script, T0.AddSeconds(5)),
            new CallCommand.RequestTransfer(callId, "sales", "asked for a person", ValueMap.Empty, T0.AddSeconds(35)),
            new CallCommand.OfferToAgent(callId, agentId, T0.AddSeconds(36)),
            new CallCommand.ConnectAgent(callId, agentId, T0.AddSeconds(40)),
            new CallCommand.HangUp(callId, HangUpParty.Customer, CloseReason.Normal, T0.AddSeconds(100)));
        await RunAsync(tenant.TenantId, robotOnly,
            new CallCommand.CreateOutbound(robotOnly, tenant.TenantId, null, null, PhoneNumber.Parse("13800138002"), ValueMap.Empty, T0.AddMinutes(1)),
            new CallCommand.Dial(robotOnly, 1, lineId, PhoneNumber.Parse("02161234567"), T0.AddMinutes(1)),
            new CallCommand.Answer(robotOnly, T0.AddMinutes(1).AddSeconds(3)),
            new CallCommand.ConnectRobot(robotOnly, robotId, script, T0.AddMinutes(1).AddSeconds(4)),
            new CallCommand.HangUp(robotOnly, HangUpParty.Customer, CloseReason.Normal, T0.AddMinutes(1).AddSeconds(20)));

        await WaitForCallsAsync(client, 2);

        var record = await Json(await client.GetAsync($"/api/v1/calls/{callId}"));
        Assert.Equal(T0.AddSeconds(5), record.GetProperty("connTime").GetDateTimeOffset());
        Assert.Equal(95, record.GetProperty("duration").GetInt32());
        Assert.Equal(T0.AddSeconds(40), record.GetProperty("agentConnectTime").GetDateTimeOffset());
        Assert.Equal(agentId, record.GetProperty("agentId").GetGuid());
        Assert.Equal(JsonValueKind.Null, (await Json(await client.GetAsync($"/api/v1/calls/{robotOnly}"))).GetProperty("agentConnectTime").ValueKind);
        var export = await client.GetStringAsync($"/api/v1/calls/export?from={Uri.EscapeDataString(T0.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(T0.AddMinutes(5).ToString("O"))}");
        var lines = export.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",agent_connect_time", lines[0]);
        Assert.EndsWith(",2026-03-02T09:30:40.000Z", Assert.Single(lines, l => l.StartsWith(callId.ToString(), StringComparison.Ordinal)));

        await CaughtUpAsync();
        var before = await SnapshotAsync();
        Assert.Contains("\"agent_connect_time\":\"2026-03-02T09:30:40+00:00\"", before, StringComparison.Ordinal);
        await host.Services.GetRequiredService<ProjectionDaemon>().RebuildAsync(CallRecordsProjection.ProjectionName);
        Assert.Equal(before, await SnapshotAsync());
    }

    private static Guid[] Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToArray();

    /// <summary>Waits until the call-records projection has applied every event appended so far (other tenants' included).</summary>
    private async Task CaughtUpAsync()
    {
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using var command = dataSource.CreateCommand(
                "select coalesce((select position from es_projection_checkpoints where name = $1), 0) >= (select max(seq_id) from es_events)");
            command.Parameters.AddWithValue(CallRecordsProjection.ProjectionName);
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
            "select coalesce(string_agg(row_to_json(r)::text, E'\\n' order by tenant, call_id), '') from call_records r");
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
