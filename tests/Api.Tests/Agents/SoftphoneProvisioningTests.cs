using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Api.Hosting;
using Aicc.Api.Tests.Hosting;
using Aicc.Handlers.Switchboard;
using Aicc.EventStore;
using Aicc.Handlers.Tenants.CreatingTenant;
using Aicc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Agents;

/// <summary>
/// POST /api/v1/agents/me/softphone: the console's browser phone settings. The seat gets
/// credentials once (only HA1 is kept), the same ones come back on every later call, and the
/// edge's table (agent_sip_accounts) holds exactly that HA1 under the seat's username and the tenant's realm.
/// </summary>
public sealed class SoftphoneProvisioningTests : IAsyncLifetime
{
    private const string EdgeUrl = "ws://192.0.2.10:8080";
    private readonly PostgresDatabase _database = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _app = await HostApp.BuildAsync(
            _database.ConnectionString, "http://127.0.0.1:0", CancellationToken.None,
            settings: new Dictionary<string, string?> { ["Edge:WebSocketUrl"] = EdgeUrl, ["Edge:SipEndPoint"] = "192.0.2.10:5060" });
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task GivenAnAgentWithASeat_WhenTheConsoleAsksTwice_ThenTheSameCredentialsComeBack_AndTheEdgeTableHoldsTheirHa1()
    {
        var tenant = await CreateTenant.HandleAsync(_app.Services.GetRequiredService<PostgresEventStore>(), "Provisioning Co", "admin", null, TimeProvider.System, CancellationToken.None);
        using var admin = new HttpClient { BaseAddress = _client.BaseAddress };
        admin.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);
        var employee = await admin.PostAsJsonAsync("/api/v1/employees", new { login = "sun.li", password = "provisioning secret", role = "agent" });
        var employeeId = (await Json(employee)).GetProperty("id").GetGuid();
        var seat = await admin.PostAsJsonAsync("/api/v1/agents", new { employeeId, skillGroups = new[] { "sales" } });
        var agentId = (await Json(seat)).GetProperty("id").GetGuid();

        using var agent = await SignedInAsync(tenant.TenantId, "sun.li", "provisioning secret");
        var first = await agent.PostAsync("/api/v1/agents/me/softphone", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var settings = await Json(first);
        var second = await Json(await agent.PostAsync("/api/v1/agents/me/softphone", null));

        var realm = AgentSipDomains.Default.Of(tenant.TenantId);
        var username = agentId.ToString("N");
        Assert.Equal(EdgeUrl, settings.GetProperty("webSocketUrl").GetString());
        Assert.Equal($"sip:{username}@{realm}", settings.GetProperty("uri").GetString());
        Assert.Equal((username, realm), (settings.GetProperty("authorizationUser").GetString(), settings.GetProperty("realm").GetString()));
        var ha1 = settings.GetProperty("ha1").GetString();
        Assert.Matches("^[0-9a-f]{32}$", ha1);
        Assert.Equal(ha1, second.GetProperty("ha1").GetString());

        await using var row = _database.DataSource.CreateCommand("select realm, ha1_md5 from agent_sip_accounts where username = $1");
        row.Parameters.AddWithValue(username);
        await using var reader = await row.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the seat has no row in agent_sip_accounts");
        Assert.Equal((realm, ha1), (reader.GetString(0), reader.GetString(1)));
    }

    [Fact]
    public async Task GivenAnEmployeeWithoutASeat_WhenTheConsoleAsks_ThenNotFound()
    {
        var tenant = await CreateTenant.HandleAsync(_app.Services.GetRequiredService<PostgresEventStore>(), "No Seat Co", "admin", null, TimeProvider.System, CancellationToken.None);
        using var admin = await SignedInAsync(tenant.TenantId, tenant.AdminLogin, tenant.AdminPassword);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/agents/me/softphone", null)).StatusCode);
    }

    private async Task<HttpClient> SignedInAsync(Guid tenant, string login, string password)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/auth/login", new { tenant = tenant.ToString(), login, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var client = new HttpClient { BaseAddress = _client.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await Json(response)).GetProperty("token").GetString());
        return client;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}

/// <summary>A host started without a SIP edge hands out no settings (and the console shows no phone).</summary>
public sealed class SoftphoneWithoutEdgeTests(RunningHost host) : IClassFixture<RunningHost>
{
    [Fact]
    public async Task GivenAHostWithoutAnEdge_WhenTheConsoleAsks_ThenNoContent()
    {
        var tenant = await host.CreateTenantAsync("Edgeless Co");
        var login = await host.Client.PostAsJsonAsync("/api/v1/auth/login", new { tenant = tenant.TenantId.ToString(), login = tenant.AdminLogin, password = tenant.AdminPassword });
        var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/agents/me/softphone");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.SendAsync(request)).StatusCode);
    }
}
