using Aicc.EventStore.Projections;
using Aicc.Testing;

namespace Aicc.EventStore.Tests.Projections;

public sealed class RebuildTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task GivenALeaderInAnotherProcess_WhenRebuildIsAskedHere_ThenTheLeaderReplaysAndProgressReachesTheTarget()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        var leader = DaemonLeadershipTests.Node(store, "leader");
        var asker = DaemonLeadershipTests.Node(store, "asker");
        await ((EventLogProjection)leader.Projections[0]).EnsureTableAsync(database.DataSource);
        await ((EventLogProjection)leader.Projections[1]).EnsureTableAsync(database.DataSource);
        for (var i = 0; i < 20; i++)
        {
            await store.AppendAsync("acme", $"rebuild-{i}", "call", ExpectedVersion.NoStream, [new Noted(i), new Noted(i + 1)]);
        }

        await leader.Daemon.StartAsync();
        Assert.True(await TestEvents.EventuallyAsync(() => Task.FromResult(leader.Daemon.LeadingProjections.Count == DaemonLeadershipTests.Names.Length), TimeSpan.FromSeconds(5)));
        var end = await TestEvents.ScalarAsync(database.DataSource, "select max(seq_id) from es_events");
        Assert.True(await TestEvents.EventuallyAsync(async () =>
            (await ProjectionDaemon.GetStatusAsync(database.DataSource)).All(s => s.Checkpoint == end), TimeSpan.FromSeconds(5)));
        var reports = new List<RebuildProgress>();

        var target = await asker.Daemon.RebuildAsync("log-one", new DaemonLeadershipTests.SynchronousProgress(reports.Add));
        await leader.Daemon.StopAsync();

        Assert.Equal(target, reports[^1].Position);
        Assert.Equal(await TestEvents.ScalarAsync(database.DataSource, "select count(*) from es_events"),
            (await ((EventLogProjection)leader.Projections[0]).PositionsAsync(database.DataSource)).Count);
        Assert.Equal(2, ((EventLogProjection)leader.Projections[0]).Applied.Count(p => p == 1));
    }
}
