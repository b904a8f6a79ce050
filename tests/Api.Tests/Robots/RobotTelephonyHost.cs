using System.Net;
using Aicc.Api.Hosting;
using Aicc.Domain.Calls;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Switchboard;
using Aicc.Handlers.Tenants.SeedingDemo;
using Aicc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Robots;

/// <summary>
/// The real host with its telephony on a free loopback SIP port, over a fresh database seeded
/// with the demo tenant (its robot answers <see cref="SeedDemo.DemoRobotNumber"/>). The host runs
/// the call distributor, but no agent is ready here, so a hand-over waits one second and times out.
/// </summary>
public class RobotTelephonyHost : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private readonly TimeSpan _queueTimeout;
    private WebApplication? _app;

    public RobotTelephonyHost()
        : this(TimeSpan.FromSeconds(1))
    {
    }

    /// <param name="queueTimeout">How long a robot's hand-over waits for an agent.</param>
    protected RobotTelephonyHost(TimeSpan queueTimeout)
    {
        _queueTimeout = queueTimeout;
    }

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("Host not started.");

    public PostgresEventStore Store => Services.GetRequiredService<PostgresEventStore>();

    public IPEndPoint Sip { get; private set; } = null!;

    public SeedDemo.Seeded Demo { get; private set; } = null!;

    public HttpClient Client { get; private set; } = new();

    public string Tenant => SeedDemo.DemoTenantId.ToString();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _app = await HostApp.BuildAsync(_database.ConnectionString, "http://127.0.0.1:0", CancellationToken.None, new TelephonyOptions
        {
            SipPort = 0,
            MediaAddress = IPAddress.Loopback,
            Robot = new RobotSessionOptions { QueueTimeout = _queueTimeout, CallbackDelay = TimeSpan.FromHours(1) },
        });
        await _app.StartAsync();
        Sip = _app.Services.SipEndPoint();
        Demo = await SeedDemo.HandleAsync(Store, TimeProvider.System, CancellationToken.None)
            ?? throw new InvalidOperationException("the fresh database already had the demo tenant");
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", Demo.ApiKey);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    /// <summary>The id of the first inbound call from <paramref name="caller"/> that arrived after <paramref name="after"/>.</summary>
    public Task<Guid> InboundCallAsync(string caller, DateTimeOffset after, TimeSpan timeout) =>
        CallStreamWaits.InboundCallAsync(Store, Tenant, caller, after, timeout);

    /// <summary>Runs call commands as the dialer would.</summary>
    public async Task RunCallAsync(Guid callId, params CallCommand[] commands)
    {
        foreach (var command in commands)
        {
            await CommandRunner.RunAsync(Store, Deciders.Call, Tenant, Deciders.Call.StreamId(callId), command);
        }
    }

    /// <summary>The call's events so far.</summary>
    public Task<List<CallEvent>> CallEventsAsync(Guid callId) => CallStreamWaits.CallEventsAsync(Store, Tenant, callId);

    /// <summary>Waits until the call's stream holds an event matching <paramref name="match"/>; returns it.</summary>
    public Task<T> WaitForAsync<T>(Guid callId, TimeSpan timeout, Func<T, bool>? match = null)
        where T : CallEvent =>
        CallStreamWaits.WaitForAsync(Store, Tenant, callId, timeout, match);

    /// <summary>Asserts that the first event of each type comes in the order given.</summary>
    public static void AssertInOrder(List<CallEvent> events, params Type[] types)
    {
        var positions = types.Select(t => events.FindIndex(e => e.GetType() == t)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order().ToList(), positions);
    }
}
