using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;

namespace Aicc.Api.Tests.Agents;

public sealed class AgentBoardTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>An employee with the role, and a client authenticated with a key issued to them.</summary>
    private async Task<(Guid Id, HttpClient Client)> EmployeeAsync(HttpClient admin, string login, string role)
    {
        var registered = await admin.PostAsJsonAsync("/api/v1/employees", new { login, password = "long enough", role });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var id = (await Json(registered)).GetProperty("id").GetGuid();
        var issued = await admin.PostAsJsonAsync($"/api/v1/employees/{id}/api-keys", new { label = "test" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        return (id, host.ClientWithKey((await Json(issued)).GetProperty("apiKey").GetString()!));
    }

    private static async Task<Guid> SeatAsync(HttpClient admin, Guid employeeId, params string[] skillGroups)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/agents", new { employeeId, skillGroups });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Json(created);
        Assert.Equal("offline", body.GetProperty("state").GetString());
        return body.GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> BoardRowAsync(HttpClient client, Guid agentId)
    {
        var board = await Json(await client.GetAsync("/api/v1/agents"));
        return board.GetProperty("agents").EnumerateArray().Single(row => row.GetProperty("id").GetGuid() == agentId);
    }

    [Fact]
    public async Task GivenAgentSeat_WhenAgentGoesReadyThenNotReady_ThenBoardShowsStateReasonAndSince()
    {
        var tenant = await host.CreateTenantAsync("Board Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var (employeeId, agent) = await EmployeeAsync(admin, "alice", "agent");
        var agentId = await SeatAsync(admin, employeeId, "sales", "vip");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var ready = await agent.PostAsJsonAsync($"/api/v1/agents/{agentId}/state", new { state = "ready" });
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var row = await BoardRowAsync(admin, agentId);
        Assert.Equal("ready", row.GetProperty("state").GetString());
        Assert.True(row.GetProperty("since").GetDateTimeOffset() >= before);
        Assert.Equal(["sales", "vip"], row.GetProperty("skillGroups").EnumerateArray().Select(g => g.GetString()!).ToArray());

        var notReady = await agent.PostAsJsonAsync($"/api/v1/agents/{agentId}/state", new { state = "not_ready", reason = "lunch" });
        Assert.Equal(HttpStatusCode.OK, notReady.StatusCode);
        row = await BoardRowAsync(agent, agentId);
        Assert.Equal("not_ready", row.GetProperty("state").GetString());
        Assert.Equal("lunch", row.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("forcedBy").ValueKind);
    }

    [Fact]
    public async Task GivenReadyAgent_WhenSupervisorForcesNotReady_ThenBoardNamesTheSupervisor_AndAnotherAgentIsForbidden()
    {
        var tenant = await host.CreateTenantAsync("Floor Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var (aliceId, alice) = await EmployeeAsync(admin, "alice", "agent");
        var (_, bob) = await EmployeeAsync(admin, "bob", "agent");
        var (supervisorId, supervisor) = await EmployeeAsync(admin, "sue", "supervisor");
        var seat = await SeatAsync(admin, aliceId, "sales");
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsJsonAsync($"/api/v1/agents/{seat}/state", new { state = "ready" })).StatusCode);

        var byColleague = await bob.PostAsJsonAsync($"/api/v1/agents/{seat}/state", new { state = "not_ready", reason = "prank" });
        Assert.Equal(HttpStatusCode.Forbidden, byColleague.StatusCode);
        Assert.Equal("ready", (await BoardRowAsync(admin, seat)).GetProperty("state").GetString());

        var forced = await supervisor.PostAsJsonAsync($"/api/v1/agents/{seat}/state", new { state = "not_ready", reason = "coaching" });
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        var row = await BoardRowAsync(admin, seat);
        Assert.Equal("not_ready", row.GetProperty("state").GetString());
        Assert.Equal("coaching", row.GetProperty("reason").GetString());
        Assert.Equal(supervisorId, row.GetProperty("forcedBy").GetGuid());
    }

    [Fact]
    public async Task GivenAgentRole_WhenCreatingTasksOrEmployees_ThenForbidden_AndWithoutCredentials401()
    {
        var tenant = await host.CreateTenantAsync("Roles Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var (_, agent) = await EmployeeAsync(admin, "carol", "agent");

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/v1/tasks", new { name = "mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/v1/employees", new { login = "eve", password = "long enough", role = "admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/v1/agents", new { employeeId = Guid.NewGuid() })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/api/v1/agents")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.PostAsJsonAsync("/api/v1/employees", new { login = "x", password = "long enough", role = "admin" })).StatusCode);
        var employees = await Json(await admin.GetAsync("/api/v1/employees"));
        Assert.DoesNotContain("eve", employees.EnumerateArray().Select(e => e.GetProperty("login").GetString()));
    }

    [Fact]
    public async Task GivenBadEmployee_WhenRegistering_ThenEveryFieldIsNamed_AndTakenLoginIs409()
    {
        var tenant = await host.CreateTenantAsync("Checks Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);

        var bad = await admin.PostAsJsonAsync("/api/v1/employees", new { login = "", password = "short", role = "boss" });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await Json(bad)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("login", out _));
        Assert.True(errors.TryGetProperty("password", out _));
        Assert.True(errors.TryGetProperty("role", out _));
        var taken = await admin.PostAsJsonAsync("/api/v1/employees", new { login = "ADMIN", password = "long enough", role = "agent" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Single((await Json(await admin.GetAsync("/api/v1/employees"))).EnumerateArray());
    }

    [Fact]
    public async Task GivenIssuedKey_WhenRevoked_ThenItNoLongerAuthenticates()
    {
        var tenant = await host.CreateTenantAsync("Keys Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var (employeeId, operatorClient) = await EmployeeAsync(admin, "olga", "operator");
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("/api/v1/tasks")).StatusCode);
        var keyId = (await Json(await admin.GetAsync("/api/v1/employees"))).EnumerateArray()
            .Single(e => e.GetProperty("id").GetGuid() == employeeId).GetProperty("apiKeys")[0].GetProperty("keyId").GetGuid();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/employees/{employeeId}/api-keys/{keyId}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await operatorClient.GetAsync("/api/v1/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/employees/{employeeId}/api-keys/{keyId}")).StatusCode);
    }

    [Fact]
    public async Task GivenTwoTenants_ThenNeitherSeesNorTouchesTheOthersAgentsOrEmployees()
    {
        var a = await host.CreateTenantAsync("Tenant A");
        var b = await host.CreateTenantAsync("Tenant B");
        using var adminA = host.ClientWithKey(a.ApiKey);
        using var adminB = host.ClientWithKey(b.ApiKey);
        var (employeeA, _) = await EmployeeAsync(adminA, "anna", "agent");
        var seatA = await SeatAsync(adminA, employeeA, "sales");

        var boardB = await Json(await adminB.GetAsync("/api/v1/agents"));
        Assert.Empty(boardB.GetProperty("agents").EnumerateArray());
        var employeesB = await Json(await adminB.GetAsync("/api/v1/employees"));
        Assert.Equal([b.AdminId], employeesB.EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToArray());
        Assert.Equal(HttpStatusCode.NotFound, (await adminB.PostAsJsonAsync($"/api/v1/agents/{seatA}/state", new { state = "not_ready", reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await adminB.PostAsJsonAsync($"/api/v1/employees/{employeeA}/api-keys", new { label = "steal" })).StatusCode);
        var seatOnForeignEmployee = await adminB.PostAsJsonAsync("/api/v1/agents", new { employeeId = employeeA });
        Assert.Equal(HttpStatusCode.BadRequest, seatOnForeignEmployee.StatusCode);
        Assert.Equal("offline", (await BoardRowAsync(adminA, seatA)).GetProperty("state").GetString());
    }
}
