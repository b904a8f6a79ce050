using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Aicc.Api.Hosting;
using Aicc.Handlers.Lines.Health;
using Aicc.Handlers.Tenants.SeedingDemo;
using Aicc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Lines;

/// <summary>
/// The real host with telephony pings lines by itself: a line whose gateway is the host's own SIP
/// port (our UAS answers OPTIONS) is shown up, one towards a silent port down, in GET and in the list.
/// </summary>
public sealed class LineHealthEndToEndTests : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private WebApplication? _app;
    private HttpClient _client = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _app = await HostApp.BuildAsync(_database.ConnectionString, "http://127.0.0.1:0", CancellationToken.None, new TelephonyOptions
        {
            SipPort = 0,
            MediaAddress = IPAddress.Loopback,
            LineHealth = new LineHealthOptions
            {
                Interval = TimeSpan.FromMilliseconds(200),
                FailuresBeforeDown = 2,
                PingTimeout = TimeSpan.FromMilliseconds(400),
            },
        });
        await _app.StartAsync();
        var demo = await SeedDemo.HandleAsync(_app.Services.GetRequiredService<Aicc.EventStore.PostgresEventStore>(), TimeProvider.System, CancellationToken.None)
            ?? throw new InvalidOperationException("the fresh database already had the demo tenant");
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
        _client.DefaultRequestHeaders.Add("X-Api-Key", demo.ApiKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task GivenTheHostRuns_WhenLinesPointAtAnAnsweringAndASilentGateway_ThenGetAndListShowOneUpAndOneDown()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var answering = await CreateLineAsync("self", $"127.0.0.1:{_app!.Services.SipEndPoint().Port}");
        var dead = await CreateLineAsync("dead", $"127.0.0.1:{((IPEndPoint)silent.LocalEndPoint!).Port}");
        Assert.Equal("unknown", (await GetLineAsync(answering)).GetProperty("health").GetString());

        Assert.Equal("up", await WaitForHealthAsync(answering, "up"));
        Assert.Equal("down", await WaitForHealthAsync(dead, "down"));

        var list = JsonDocument.Parse(await _client.GetStringAsync("/api/v1/lines")).RootElement;
        var health = list.EnumerateArray().ToDictionary(l => l.GetProperty("id").GetGuid(), l => l.GetProperty("health").GetString());
        Assert.Equal("up", health[answering]);
        Assert.Equal("down", health[dead]);
    }

    private async Task<Guid> CreateLineAsync(string name, string address)
    {
        var created = await _client.PostAsJsonAsync("/api/v1/lines", new { name, address, maxChannels = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> GetLineAsync(Guid lineId) =>
        JsonDocument.Parse(await _client.GetStringAsync($"/api/v1/lines/{lineId}")).RootElement.Clone();

    private async Task<string?> WaitForHealthAsync(Guid lineId, string wanted)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        string? health;
        do
        {
            health = (await GetLineAsync(lineId)).GetProperty("health").GetString();
            if (health == wanted)
            {
                return health;
            }

            await Task.Delay(100);
        }
        while (waited.Elapsed < TimeSpan.FromSeconds(20));
        return health;
    }
}
