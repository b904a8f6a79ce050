using System.Net;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.Dialing;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.EventStore.Schema;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Dialing;
using Aicc.Handlers.EventTypes;
using Aicc.Testing;

namespace Aicc.Handlers.Tests.Dialing;

/// <summary>The dialer learns its task's wrap-up times from the agents' events, at start and as they end.</summary>
public sealed class PacingHistoryTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly Guid TenantId = Guid.NewGuid();
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private PostgresEventStore _store = null!;

    public async Task InitializeAsync()
    {
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(PostgresEventStore).Assembly);
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(TaskDialer).Assembly);
        _store = new PostgresEventStore(database.DataSource, DomainEventTypes.CreateRegistry());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GivenAgentsWrappedUpTheTasksCalls_ThenTheDialerStartsWithTheirWrapTimesAndFoldsInNewOnesOnly()
    {
        var task = Guid.NewGuid();
        var otherTask = Guid.NewGuid();
        var agent = Guid.NewGuid();
        await CallWrappedUpAsync(task, agent, wrapSeconds: 12);
        await CallWrappedUpAsync(task, agent, wrapSeconds: 20);
        await CallWrappedUpAsync(otherTask, agent, wrapSeconds: 300);

        var options = Options(task);
        var (statistics, seen) = await PacingHistory.LoadAsync(_store, options, CancellationToken.None);
        Assert.Equal(2, statistics.WrapTimes.Count);
        Assert.Equal(16, statistics.WrapTimes.Mean, precision: 3);

        await CallWrappedUpAsync(task, agent, wrapSeconds: 7.5);
        var (later, _) = await PacingHistory.WrapUpsSinceAsync(_store, options, seen, CancellationToken.None);
        Assert.Equal([7.5], later);
    }

    private async Task CallWrappedUpAsync(Guid task, Guid agent, double wrapSeconds)
    {
        var tenant = Deciders.TenantKey(TenantId);
        var call = Guid.NewGuid();
        var hungUpAt = Start.AddMinutes(3);
        await _store.AppendAsync(tenant, Deciders.Call.StreamId(call), "call", ExpectedVersion.NoStream,
        [
            new CallEvent.OutboundCreated(call, TenantId, task, Guid.NewGuid(), "+8613800138000", ValueMap.Empty, Start),
            new CallEvent.DialingStarted(call, 1, Guid.NewGuid(), "+862160000100", Start),
            new CallEvent.Answered(call, Start.AddSeconds(10)),
            new CallEvent.ConnectedToAgent(call, agent, Start.AddSeconds(11)),
            new CallEvent.HungUp(call, HangUpParty.Customer, CloseReason.Normal, CallOutcome.Answered, hungUpAt),
        ]);
        await _store.AppendAsync(tenant, $"agent-wrap-{call}", "agent", ExpectedVersion.NoStream,
            [new AgentEvent.AfterCallWorkEnded(agent, call, AfterCallWorkEnd.Timer, hungUpAt.AddSeconds(wrapSeconds))]);
    }

    private static TaskDialerOptions Options(Guid task) =>
        new(TenantId, task, Guid.NewGuid(), PhoneNumber.Parse("+862160000100"), new IPEndPoint(IPAddress.Loopback, 5060),
            new PacingSettings(PacingMode.Predictive), LineChannels: 10);
}
