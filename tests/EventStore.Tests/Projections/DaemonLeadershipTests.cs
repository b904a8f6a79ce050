using System.Diagnostics;
using Aicc.EventStore.Projections;
using Aicc.Testing;
using Npgsql;

namespace Aicc.EventStore.Tests.Projections;

public sealed class DaemonLeadershipTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    internal static readonly string[] Names = ["log-one", "log-two", EventTypeCountsProjection.ProjectionName];

    [Fact]
    public async Task GivenTwoDaemons_WhenTheLeaderDies_ThenTheOtherTakesOverAndTheReadModelEqualsARebuild()
    {
        await using var sourceA = database.CreateDataSource(b => b.ApplicationName = "node-a");
        await using var sourceB = database.CreateDataSource(b => b.ApplicationName = "node-b");
        var storeA = await TestEvents.CreateStoreAsync(database, dataSource: sourceA);
        var storeB = await TestEvents.CreateStoreAsync(database, dataSource: sourceB);
        var nodeA = Node(storeA, "node-a");
        var nodeB = Node(storeB, "node-b");
        await ((EventLogProjection)nodeA.Projections[0]).EnsureTableAsync(database.DataSource);
        await ((EventLogProjection)nodeA.Projections[1]).EnsureTableAsync(database.DataSource);
        await nodeA.Daemon.StartAsync();
        await nodeB.Daemon.StartAsync();

        using var writing = new CancellationTokenSource();
        var writer = WriteSteadilyAsync(await TestEvents.CreateStoreAsync(database), writing.Token);

        Assert.True(await TestEvents.EventuallyAsync(() => Task.FromResult(
            nodeA.Daemon.LeadingProjections.Count + nodeB.Daemon.LeadingProjections.Count == Names.Length), TimeSpan.FromSeconds(5)));
        for (var sample = 0; sample < 5; sample++)
        {
            Assert.All(Names, name => Assert.Single(new[] { nodeA, nodeB }, node => node.Daemon.LeadingProjections.Contains(name)));
            await Task.Delay(100);
        }

        var (victim, survivor) = nodeA.Daemon.LeadingProjections.Count > 0 ? (nodeA, nodeB) : (nodeB, nodeA);
        await victim.Daemon.AbandonAsync();
        await KillSessionsAsync(victim.Name);
        var takeover = Stopwatch.StartNew();
        Assert.True(await TestEvents.EventuallyAsync(() => Task.FromResult(
            survivor.Daemon.LeadingProjections.Count == Names.Length), TimeSpan.FromSeconds(10)));
        takeover.Stop();

        await Task.Delay(300);
        await writing.CancelAsync();
        var written = await writer;
        var lastPosition = await TestEvents.ScalarAsync(database.DataSource, "select max(seq_id) from es_events");
        Assert.True(await TestEvents.EventuallyAsync(async () =>
            (await ProjectionDaemon.GetStatusAsync(database.DataSource)).All(s => s.Checkpoint >= lastPosition), TimeSpan.FromSeconds(10)));

        var statuses = await ProjectionDaemon.GetStatusAsync(database.DataSource);
        var incremental = await ReadModelAsync();
        foreach (var name in Names)
        {
            await survivor.Daemon.RebuildAsync(name);
        }

        var rebuilt = await ReadModelAsync();
        await survivor.Daemon.StopAsync();

        Assert.InRange(takeover.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.All(statuses, s => Assert.Null(s.LastError));
        Assert.All(statuses, s => Assert.Equal(survivor.Name, s.Owner));
        Assert.Equal(written, await TestEvents.ScalarAsync(database.DataSource, "select count(*) from es_events"));
        Assert.Equal(written, incremental.LogOne.Count);
        Assert.Equal(incremental.LogOne, incremental.LogTwo);
        Assert.Equal(written, incremental.Counts.Sum(c => c.Events));
        Assert.Equal(incremental.LogOne, rebuilt.LogOne);
        Assert.Equal(incremental.LogTwo, rebuilt.LogTwo);
        Assert.Equal(incremental.Counts, rebuilt.Counts);
    }

    internal static (string Name, ProjectionDaemon Daemon, IAsyncProjection[] Projections) Node(PostgresEventStore store, string name)
    {
        IAsyncProjection[] projections = [new EventLogProjection(Names[0]), new EventLogProjection(Names[1]), new EventTypeCountsProjection()];
        var daemon = new ProjectionDaemon(store, projections, new ProjectionDaemonOptions
        {
            NodeId = name,
            PollInterval = TimeSpan.FromMilliseconds(200),
            LeadershipInterval = TimeSpan.FromMilliseconds(250),
            BatchSize = 50,
            ErrorBackoff = TimeSpan.FromMilliseconds(200),
        });
        return (name, daemon, projections);
    }

    private static async Task<long> WriteSteadilyAsync(PostgresEventStore store, CancellationToken stop)
    {
        var written = 0L;
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var tenant = i % 3 == 0 ? "blue" : "red";
            await store.AppendAsync(tenant, $"call-{i % 17}", i % 2 == 0 ? "call" : "agent", ExpectedVersion.Any,
                [new Noted(i), new CallStarted($"call-{i}", "+49", TestEvents.At)], cancellationToken: CancellationToken.None);
            written += 2;
            await Task.Delay(5, CancellationToken.None);
        }

        return written;
    }

    private async Task KillSessionsAsync(string applicationName)
    {
        await using var command = database.DataSource.CreateCommand(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = $1 and datname = current_database()");
        command.Parameters.AddWithValue(applicationName);
        await command.ExecuteScalarAsync();
    }

    private async Task<(List<string> LogOne, List<string> LogTwo, List<(string Key, long Events)> Counts)> ReadModelAsync()
    {
        async Task<List<string>> RowsAsync(string sql)
        {
            await using var command = database.DataSource.CreateCommand(sql);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }

            return rows;
        }

        var counts = await RowsAsync("select concat_ws('|', tenant_id, stream_type, event_type, events, last_position) from es_event_type_counts order by 1");
        return (
            await RowsAsync("select concat_ws('|', position, tenant_id, stream_id, version, type) from log_log_one order by position"),
            await RowsAsync("select concat_ws('|', position, tenant_id, stream_id, version, type) from log_log_two order by position"),
            counts.Select(c => (c, long.Parse(c.Split('|')[3], System.Globalization.CultureInfo.InvariantCulture))).ToList());
    }

    internal sealed class SynchronousProgress(Action<RebuildProgress> report) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => report(value);
    }
}
