using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Calls;

/// <summary>
/// The agent console's call endpoints through the real HTTP pipeline: the pop-up's view of the
/// agent's call, the disposition, SIP credentials, and who may touch which call. This host
/// carries no calls (no call control), so media commands answer that another node carries the call.
/// </summary>
public sealed class AgentCallApiTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private async Task<(Guid Id, HttpClient Client)> EmployeeAsync(HttpClient admin, string login, string role)
    {
        var registered = await admin.PostAsJsonAsync("/api/v1/employees", new { login, password = "long enough", role });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var id = (await Json(registered)).GetProperty("id").GetGuid();
        var issued = await admin.PostAsJsonAsync($"/api/v1/employees/{id}/api-keys", new { label = "test" });
        return (id, host.ClientWithKey((await Json(issued)).GetProperty("apiKey").GetString()!));
    }

    private static async Task<Guid> SeatAsync(HttpClient admin, Guid employeeId)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/agents", new { employeeId, skillGroups = new[] { "sales" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await Json(created)).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task GivenAgentOnACall_WhenTheConsoleAsks_ThenItSeesThePopUpAndSetsTheDisposition_WhileOthersCannotTouchTheCall()
    {
        var tenant = await host.CreateTenantAsync("Desk Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var (aliceId, alice) = await EmployeeAsync(admin, "alice", "agent");
        var (bobId, bob) = await EmployeeAsync(admin, "bob", "agent");
        var aliceSeat = await SeatAsync(admin, aliceId);
        await SeatAsync(admin, bobId);
        var callId = await DistributedCalls.ConnectedElsewhereAsync(host.Services.GetRequiredService<PostgresEventStore>(), tenant.TenantId, aliceSeat, """{"name":"Wang Fang"}""", "robot: transfer_to_human");

        var view = await alice.GetAsync("/api/v1/agents/me/call");
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        var popUp = await Json(view);
        Assert.Equal(callId, popUp.GetProperty("callId").GetGuid());
        Assert.Equal(("on_call", "with_agent", "8613800001234"), (popUp.GetProperty("agentState").GetString(), popUp.GetProperty("callState").GetString(), popUp.GetProperty("caller").GetString()));
        Assert.Equal("Wang Fang", popUp.GetProperty("variables").GetProperty("name").GetString());
        Assert.Equal("robot: transfer_to_human", popUp.GetProperty("context").GetString());
        Assert.Equal("sales", popUp.GetProperty("skillGroup").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await bob.GetAsync("/api/v1/agents/me/call")).StatusCode);

        // Media commands go to the node carrying the call; this host carries none.
        var hold = await alice.PostAsync($"/api/v1/calls/{callId}/hold", null);
        Assert.Equal(HttpStatusCode.Conflict, hold.StatusCode);
        Assert.Contains("node-elsewhere", (await Json(hold)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsync($"/api/v1/calls/{callId}/hangup", null)).StatusCode);
        var bothTargets = await alice.PostAsJsonAsync($"/api/v1/calls/{callId}/transfer", new { skillGroup = "vip", agentId = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.BadRequest, bothTargets.StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "sale" })).StatusCode);
        var disposition = await alice.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "sale", note = "wants the blue one" });
        Assert.Equal(HttpStatusCode.OK, disposition.StatusCode);
        Assert.Equal("sale", (await Json(disposition)).GetProperty("disposition").GetString());
        var store = host.Services.GetRequiredService<PostgresEventStore>();
        var events = await store.ReadStreamAsync(Deciders.TenantKey(tenant.TenantId), Deciders.Call.StreamId(callId), 1);
        var set = Assert.IsType<CallEvent.DispositionSet>(events[^1].Data);
        Assert.Equal((aliceSeat, "sale", "wants the blue one"), (set.AgentId, set.Disposition, set.Note));

        // Another tenant's agent does not even learn that the call exists.
        var other = await host.CreateTenantAsync("Other Co");
        using var otherAdmin = host.ClientWithKey(other.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "sale" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.PostAsync($"/api/v1/calls/{callId}/resume", null)).StatusCode);
    }

    [Fact]
    public async Task GivenATaskCallWithDispositions_WhenTheAgentSetsOne_ThenOnlyTheTasksDispositionsAreAccepted_AndThePopUpListsThemWithTheCustomersRow()
    {
        var tenant = await host.CreateTenantAsync("Task Desk Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var (aliceId, alice) = await EmployeeAsync(admin, "alice", "agent");
        var seat = await SeatAsync(admin, aliceId);
        var store = host.Services.GetRequiredService<PostgresEventStore>();
        var key = Deciders.TenantKey(tenant.TenantId);
        var taskId = Guid.NewGuid();
        var callId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await CommandRunner.RunAsync(store, Deciders.Task, key, Deciders.Task.StreamId(taskId), new Aicc.Domain.Tasks.CallTaskCommand.Create(taskId, tenant.TenantId, "Renewals", tenant.AdminId, now));
        await CommandRunner.RunAsync(store, Deciders.Task, key, Deciders.Task.StreamId(taskId), new Aicc.Domain.Tasks.CallTaskCommand.SetDispositions(taskId, Aicc.Domain.Common.ValueList<string>.Empty.Add("renewed").Add("declined"), now));
        async Task Call(CallCommand c) => await CommandRunner.RunAsync(store, Deciders.Call, key, Deciders.Call.StreamId(callId), c);
        async Task Agent(AgentCommand c) => await CommandRunner.RunAsync(store, Deciders.Agent, key, Deciders.Agent.StreamId(seat), c);
        await Call(new CallCommand.CreateOutbound(callId, tenant.TenantId, taskId, Guid.NewGuid(), Aicc.Domain.PhoneNumbers.PhoneNumber.Parse("+8613800001111"), Aicc.Domain.Common.ValueMap.Of(("plan", "gold")), now));
        await Call(new CallCommand.Dial(callId, 1, Guid.NewGuid(), Aicc.Domain.PhoneNumbers.PhoneNumber.Parse("+861055500000"), now));
        await Call(new CallCommand.Answer(callId, now));
        await Call(new CallCommand.Queue(callId, "sales", now));
        await Agent(new AgentCommand.LogIn(seat, now));
        await Agent(new AgentCommand.OfferCall(seat, callId, now));
        await Call(new CallCommand.OfferToAgent(callId, seat, now));

        // Ringing: the pop-up already shows who calls and what the agent may record.
        var ringing = await Json(await alice.GetAsync("/api/v1/agents/me/call"));
        Assert.Equal(("ringing", "offered"), (ringing.GetProperty("agentState").GetString(), ringing.GetProperty("callState").GetString()));
        Assert.Equal("gold", ringing.GetProperty("variables").GetProperty("plan").GetString());
        Assert.Equal(["renewed", "declined"], ringing.GetProperty("dispositions").EnumerateArray().Select(d => d.GetString()!).ToArray());
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "renewed" })).StatusCode);

        await Agent(new AgentCommand.AcceptCall(seat, callId, now));
        await Call(new CallCommand.ConnectAgent(callId, seat, now));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await alice.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "maybe later" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "renewed" })).StatusCode);
    }

    [Fact]
    public async Task GivenSeat_WhenSipCredentialsAreSet_ThenTheAccountIsUnderTheTenantDomainAndOnlyTheAgentOrASupervisorMaySetThem()
    {
        var tenant = await host.CreateTenantAsync("Phone Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var (aliceId, alice) = await EmployeeAsync(admin, "alice", "agent");
        var (bobId, bob) = await EmployeeAsync(admin, "bob", "agent");
        var aliceSeat = await SeatAsync(admin, aliceId);
        var bobSeat = await SeatAsync(admin, bobId);

        var set = await alice.PutAsJsonAsync($"/api/v1/agents/{aliceSeat}/sip-credentials", new { username = "alice", password = "phone-pass-1" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var body = await Json(set);
        var realm = body.GetProperty("realm").GetString()!;
        Assert.Contains(tenant.TenantId.ToString("N"), realm, StringComparison.Ordinal);
        Assert.Equal($"sip:alice@{realm}", body.GetProperty("addressOfRecord").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PutAsJsonAsync($"/api/v1/agents/{aliceSeat}/sip-credentials", new { username = "bob", password = "phone-pass-2" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/api/v1/agents/{bobSeat}/sip-credentials", new { username = "alice", password = "phone-pass-2" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/v1/agents/{bobSeat}/sip-credentials", new { username = "b ob", password = "short" })).StatusCode);

        var store = host.Services.GetRequiredService<PostgresEventStore>();
        await using var account = store.DataSource.CreateCommand("select agent_id from agent_sip_accounts where realm = $1 and username = 'alice'");
        account.Parameters.AddWithValue(realm);
        Assert.Equal(aliceSeat, await account.ExecuteScalarAsync());
    }
}
