using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.EventStore;
using Aicc.Handlers.Tenants.CreatingTenant;

namespace Aicc.Api.Tests.Agents;

/// <summary>
/// A tenant set up for manual calls through the HTTP API as an administrator would: a caller-number
/// pool of Beijing numbers, a line to <c>lineAddress</c> (the customer's gateway), an agent task of
/// skill group "sales" on that line with the pool and an all-day calling window, and one agent
/// with an API key of their own.
/// </summary>
public sealed record ManualCallFloor(
    CreateTenant.Created Tenant, HttpClient Admin, HttpClient Agent, Guid EmployeeId, Guid AgentId, Guid PoolId, Guid LineId, Guid TaskId) : IDisposable
{
    public static readonly string[] PoolNumbers = ["+861058000001", "+861058000002"];

    public string TenantKey => Tenant.TenantId.ToString();

    public static async Task<ManualCallFloor> CreateAsync(PostgresEventStore store, Uri baseAddress, string name, string lineAddress, string login = "li.na", string password = "manual call secret 1")
    {
        var tenant = await CreateTenant.HandleAsync(store, name, "admin", null, TimeProvider.System, CancellationToken.None);
        var admin = new HttpClient { BaseAddress = baseAddress };
        admin.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);

        var poolId = (await JsonAsync(await admin.PostAsJsonAsync("/api/v1/number-pools", new { name = "north", defaultCity = "Beijing" }))).GetProperty("id").GetGuid();
        foreach (var number in PoolNumbers)
        {
            await JsonAsync(await admin.PutAsJsonAsync($"/api/v1/number-pools/{poolId}/numbers/{Uri.EscapeDataString(number)}",
                new { kind = "fixed_line", city = "Beijing", dailyCap = 200, hourlyCap = 30, costPerMinute = 0.05m }));
        }

        var lineId = (await JsonAsync(await admin.PostAsJsonAsync("/api/v1/lines", new { name = "Gateway", address = lineAddress, maxChannels = 4 }))).GetProperty("id").GetGuid();
        var taskId = (await JsonAsync(await admin.PostAsJsonAsync("/api/v1/tasks", new { name = "Follow-ups" }))).GetProperty("id").GetGuid();
        await JsonAsync(await admin.PutAsJsonAsync($"/api/v1/tasks/{taskId}", new
        {
            lineId,
            handler = new { kind = "agent_group", skillGroup = "sales" },
            callingWindows = new[] { new { start = "00:00", end = "23:59" } },
        }));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/tasks/{taskId}/number-pool", new { poolId })).StatusCode);

        var employeeId = (await JsonAsync(await admin.PostAsJsonAsync("/api/v1/employees", new { login, password, role = "agent" }))).GetProperty("id").GetGuid();
        var agentId = (await JsonAsync(await admin.PostAsJsonAsync("/api/v1/agents", new { employeeId, skillGroups = new[] { "sales" } }))).GetProperty("id").GetGuid();
        var key = (await JsonAsync(await admin.PostAsJsonAsync($"/api/v1/employees/{employeeId}/api-keys", new { label = "console" }))).GetProperty("apiKey").GetString();
        var agent = new HttpClient { BaseAddress = baseAddress };
        agent.DefaultRequestHeaders.Add("X-Api-Key", key);
        return new ManualCallFloor(tenant, admin, agent, employeeId, agentId, poolId, lineId, taskId);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public void Dispose()
    {
        Admin.Dispose();
        Agent.Dispose();
    }
}
