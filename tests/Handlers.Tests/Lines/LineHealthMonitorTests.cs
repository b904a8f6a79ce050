using System.Net;
using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.EventStore.Schema;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Dialing;
using Aicc.Handlers.EventTypes;
using Aicc.Handlers.Lines.Health;
using Aicc.Projections.Resources;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Pinging;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Tests.Sip.Transport;
using Aicc.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aicc.Handlers.Tests.Lines;

/// <summary>
/// The line health monitor against real gateways (our own UAS on real UDP sockets) and the real
/// PostgreSQL: the line list and the line's stream show up, down after the threshold, and up again.
/// </summary>
public sealed class LineHealthMonitorTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly LineHealthOptions Options = new()
    {
        Interval = TimeSpan.FromMilliseconds(200),
        FailuresBeforeDown = 2,
        PingTimeout = TimeSpan.FromMilliseconds(400),
    };

    private readonly Guid _tenantId = Guid.NewGuid();
    private PostgresEventStore _store = null!;
    private SipStack _pinging = null!;

    private string Tenant => Deciders.TenantKey(_tenantId);

    public async Task InitializeAsync()
    {
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(PostgresEventStore).Assembly);
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(ResourceListProjection).Assembly);
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(TaskDialer).Assembly);
        _store = new PostgresEventStore(database.DataSource, DomainEventTypes.CreateRegistry(), new EventStoreOptions
        {
            InlineProjections = [new ResourceListProjection()],
        });
        _pinging = SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });
    }

    public async Task DisposeAsync() => await _pinging.DisposeAsync();

    private LineHealthMonitor Monitor() =>
        new(_store, SipOptionsPinger.On(_pinging, Options.PingTimeout), Options, TimeProvider.System, NullLogger<LineHealthMonitor>.Instance);

    [Fact]
    public async Task GivenAnAnsweringGateway_WhenItStopsAndComesBack_ThenTheLineGoesUpDownAfterTheThresholdAndUpAgain()
    {
        var gateway = RunningUas.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });
        var port = gateway.Udp.Port;
        var lineId = await CreateLineAsync($"127.0.0.1:{port}", LineTransport.Udp);
        var taskId = await CreateTaskOnAsync(lineId);
        var monitor = Monitor();
        Assert.True(await monitor.TryLeadAsync(CancellationToken.None));

        var first = Of(lineId, await monitor.RunRoundAsync(CancellationToken.None));
        Assert.Equal(LineHealth.Up, Assert.Single(first).Health);
        Assert.Equal(200, first[0].Ping.Status);
        Assert.Equal("up", await ListedHealthAsync(lineId));
        Assert.Empty(Of(lineId, await monitor.RunRoundAsync(CancellationToken.None)));

        await gateway.DisposeAsync();
        Assert.Empty(Of(lineId, await monitor.RunRoundAsync(CancellationToken.None)));
        Assert.Equal("up", await ListedHealthAsync(lineId));
        var down = Of(lineId, await monitor.RunRoundAsync(CancellationToken.None));
        Assert.Equal(LineHealth.Down, Assert.Single(down).Health);
        Assert.False(down[0].Ping.Reachable);
        Assert.Equal("down", await ListedHealthAsync(lineId));
        Assert.Empty(Of(lineId, await monitor.RunRoundAsync(CancellationToken.None)));
        var (_, problem) = await TaskDialerSettings.LoadAsync(_store, _tenantId, taskId, null, CancellationToken.None);
        Assert.Equal($"line {lineId} is down", problem);

        await using var back = RunningUas.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, port)] });
        var up = Of(lineId, await monitor.RunRoundAsync(CancellationToken.None));
        Assert.Equal(LineHealth.Up, Assert.Single(up).Health);
        Assert.Equal("up", await ListedHealthAsync(lineId));

        var health = (await _store.ReadStreamAsync(Tenant, Deciders.Line.StreamId(lineId)))
            .Select(e => e.Data).Where(d => d is LineEvent.WentUp or LineEvent.WentDown).ToList();
        Assert.Collection(health,
            e => Assert.Equal(LineHealthSource.OptionsPing, Assert.IsType<LineEvent.WentUp>(e).Source),
            e => Assert.StartsWith("2 OPTIONS pings unanswered", Assert.IsType<LineEvent.WentDown>(e).Reason),
            e => Assert.IsType<LineEvent.WentUp>(e));
        await monitor.ReleaseLeadershipAsync();
    }

    [Fact]
    public async Task GivenTwoNodes_WhenBothTryToLead_ThenOnlyOnePingsUntilItLetsGo()
    {
        var first = Monitor();
        var second = Monitor();

        Assert.True(await first.TryLeadAsync(CancellationToken.None));
        Assert.False(await second.TryLeadAsync(CancellationToken.None));
        Assert.True(await first.TryLeadAsync(CancellationToken.None));
        await first.ReleaseLeadershipAsync();
        Assert.True(await second.TryLeadAsync(CancellationToken.None));
        Assert.False(await first.TryLeadAsync(CancellationToken.None));
        await second.ReleaseLeadershipAsync();
    }

    [Fact]
    public async Task GivenTheMonitorRunsAsAHostedService_WhenAGatewayAnswers_ThenItsLineIsListedUp()
    {
        await using var gateway = RunningUas.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });
        var lineId = await CreateLineAsync($"sip:127.0.0.1:{gateway.Udp.Port}", LineTransport.Udp);
        var monitor = Monitor();

        await monitor.StartAsync(CancellationToken.None);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await ListedHealthAsync(lineId) != "up" && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50);
        }

        await monitor.StopAsync(CancellationToken.None);

        Assert.Equal("up", await ListedHealthAsync(lineId));
        Assert.False(monitor.IsLeader);
    }

    /// <summary>The class shares one database: lines of other tests (their gateways gone) change too.</summary>
    private static List<LineHealthChange> Of(Guid lineId, IReadOnlyList<LineHealthChange> changes) => changes.Where(c => c.LineId == lineId).ToList();

    private async Task<Guid> CreateLineAsync(string address, LineTransport transport)
    {
        var lineId = Guid.NewGuid();
        await CommandRunner.RunAsync(_store, Deciders.Line, Tenant, Deciders.Line.StreamId(lineId),
            new LineCommand.Create(lineId, _tenantId, "gateway " + address, new LineConfig(address, transport, null,
                new CallerIdRules(CallerIdMode.Fixed, PhoneNumber.Parse("+861058000000"), null), 4), DateTimeOffset.UtcNow));
        return lineId;
    }

    private async Task<Guid> CreateTaskOnAsync(Guid lineId)
    {
        var taskId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await CommandRunner.RunAllAsync(_store, Deciders.Task, Tenant, Deciders.Task.StreamId(taskId),
        [
            new CallTaskCommand.Create(taskId, _tenantId, "health task", Guid.NewGuid(), now),
            new CallTaskCommand.SetLine(taskId, lineId, now),
        ]);
        return taskId;
    }

    private async Task<string> ListedHealthAsync(Guid lineId)
    {
        await using var command = database.DataSource.CreateCommand("select health from line_list where tenant = $1 and line_id = $2");
        command.Parameters.AddWithValue(Tenant);
        command.Parameters.AddWithValue(lineId);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
