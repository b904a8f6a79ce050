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
/// The supervisor's monitor endpoints through the real HTTP pipeline: who may monitor, which
/// calls can be monitored, and what a node that does not carry the call answers. This host
/// carries no calls, so a monitor that passes every check is sent to the carrying node (409);
/// the ringing and the audio are in the switchboard's end-to-end tests.
/// </summary>
public sealed class MonitorCallApiTests(RunningHost host) : IClassFixture<RunningHost>
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
    public async Task GivenACallWithAnAgent_WhenPeopleAskToMonitorIt_ThenOnlySupervisorsWithAPhoneGetThroughAndOtherTenantsDoNotSeeTheCall()
    {
        var tenant = await host.CreateTenantAsync("Monitor Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var (aliceId, alice) = await EmployeeAsync(admin, "alice", "agent");
        var (_, phoneless) = await EmployeeAsync(admin, "pat", "supervisor");
        var (samId, sam) = await EmployeeAsync(admin, "sam", "supervisor");
        var aliceSeat = await SeatAsync(admin, aliceId);
        var samSeat = await SeatAsync(admin, samId);
        Assert.Equal(HttpStatusCode.OK, (await sam.PutAsJsonAsync($"/api/v1/agents/{samSeat}/sip-credentials", new { username = "sam", password = "phone-pass-1" })).StatusCode);
        var callId = await DistributedCalls.ConnectedElsewhereAsync(host.Services.GetRequiredService<PostgresEventStore>(), tenant.TenantId, aliceSeat);
        var listen = new { mode = "listen" };

        // Agents may not listen in, not even to their own call.
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PostAsJsonAsync($"/api/v1/calls/{callId}/monitor", listen)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.DeleteAsync($"/api/v1/calls/{callId}/monitor")).StatusCode);

        var badMode = await sam.PostAsJsonAsync($"/api/v1/calls/{callId}/monitor", new { mode = "shout" });
        Assert.Equal(HttpStatusCode.BadRequest, badMode.StatusCode);

        var noPhone = await phoneless.PostAsJsonAsync($"/api/v1/calls/{callId}/monitor", listen);
        Assert.Equal(HttpStatusCode.Conflict, noPhone.StatusCode);
        Assert.Equal("monitor.no_phone", (await Json(noPhone)).GetProperty("type").GetString());

        // A ready seat's phone takes customers' calls: it cannot listen in as well.
        Assert.Equal(HttpStatusCode.OK, (await sam.PostAsJsonAsync($"/api/v1/agents/{samSeat}/state", new { state = "ready" })).StatusCode);
        var taking = await sam.PostAsJsonAsync($"/api/v1/calls/{callId}/monitor", listen);
        Assert.Equal(HttpStatusCode.Conflict, taking.StatusCode);
        Assert.Equal("monitor.seat_taking_calls", (await Json(taking)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, (await sam.PostAsJsonAsync($"/api/v1/agents/{samSeat}/state", new { state = "not_ready", reason = "monitoring" })).StatusCode);

        // Everything checks out, but the call's media is on another node.
        var elsewhere = await sam.PostAsJsonAsync($"/api/v1/calls/{callId}/monitor", new { mode = "Whisper" });
        Assert.Equal(HttpStatusCode.Conflict, elsewhere.StatusCode);
        var problem = await Json(elsewhere);
        Assert.Equal("call.not_carried_here", problem.GetProperty("type").GetString());
        Assert.Contains("node-elsewhere", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await sam.PutAsJsonAsync($"/api/v1/calls/{callId}/monitor", new { mode = "barge" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.DeleteAsync($"/api/v1/calls/{callId}/monitor")).StatusCode);

        var other = await host.CreateTenantAsync("Other Monitor Co");
        using var otherAdmin = host.ClientWithKey(other.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.PostAsJsonAsync($"/api/v1/calls/{callId}/monitor", listen)).StatusCode);

        var store = host.Services.GetRequiredService<PostgresEventStore>();
        var events = await store.ReadStreamAsync(Deciders.TenantKey(tenant.TenantId), Deciders.Call.StreamId(callId), 1);
        Assert.DoesNotContain(events, e => e.Data is CallEvent.MonitorStarted);
    }

    [Fact]
    public async Task GivenACallStillInTheQueue_WhenASupervisorAsksToMonitorIt_ThenTheProblemSaysItIsNotWithAnAgent()
    {
        var tenant = await host.CreateTenantAsync("Queue Monitor Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var callId = await DistributedCalls.QueuedAsync(host.Services.GetRequiredService<PostgresEventStore>(), tenant.TenantId);

        var response = await admin.PostAsJsonAsync($"/api/v1/calls/{callId}/monitor", new { mode = "listen" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("call.not_with_agent", (await Json(response)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"/api/v1/calls/{Guid.NewGuid()}/monitor", new { mode = "listen" })).StatusCode);
    }
}
