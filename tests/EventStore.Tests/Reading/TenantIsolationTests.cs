using Aicc.EventStore.Projections;
using Aicc.Testing;

namespace Aicc.EventStore.Tests.Reading;

public sealed class TenantIsolationTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    // Tests of a class share one database: tenants of their own keep them apart.
    private readonly string _red = "red-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _blue = "blue-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task GivenTheSameStreamIdInTwoTenants_WhenReadingThroughEveryPath_ThenEachTenantSeesOnlyItsOwnEvents()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        await store.AppendAsync(_red, "call-1", "call", ExpectedVersion.NoStream, [new Noted(1), new Noted(2)]);
        await store.AppendAsync(_blue, "call-1", "call", ExpectedVersion.NoStream, [new Noted(100)]);
        await store.AppendAsync(_red, "call-2", "call", ExpectedVersion.NoStream, [new Noted(3)]);
        await store.AppendAsync(_blue, "call-2", "call", ExpectedVersion.NoStream, [new Noted(200)]);

        var redStream = await store.ReadStreamAsync(_red, "call-1");
        var blueStream = await store.ReadStreamAsync(_blue, "call-1");
        var redAll = await store.ReadAllAsync(0, 100, _red);
        var blueAll = await store.ReadAllAsync(0, 100, _blue);
        var everyone = await store.ReadAllAsync(0, 100);
        var redFolded = await store.AggregateStreamAsync(_red, "call-1", 0, (sum, e) => sum + ((Noted)e).N);
        var blueFolded = await store.AggregateStreamAsync(_blue, "call-1", 0, (sum, e) => sum + ((Noted)e).N);
        var greenStream = await store.ReadStreamAsync("green", "call-1");

        Assert.Equal([1, 2], redStream.Select(e => ((Noted)e.Data).N));
        Assert.Equal([100], blueStream.Select(e => ((Noted)e.Data).N));
        Assert.Equal([1, 2, 3], redAll.Events.Select(e => ((Noted)e.Data).N));
        Assert.All(redAll.Events, e => Assert.Equal(_red, e.Tenant));
        Assert.Equal([100, 200], blueAll.Events.Select(e => ((Noted)e.Data).N));
        Assert.Equal(5, everyone.Events.Count(e => e.Tenant == _red || e.Tenant == _blue));
        Assert.Equal(everyone.HighWaterMark, redAll.NextPosition);
        Assert.Equal((3, 2L), (redFolded.State, redFolded.Version));
        Assert.Equal((100, 1L), (blueFolded.State, blueFolded.Version));
        Assert.Empty(greenStream);
        Assert.Equal(2, (await store.GetStreamAsync(_red, "call-1"))!.Version);
        Assert.Equal(1, (await store.GetStreamAsync(_blue, "call-1"))!.Version);
        Assert.Null(await store.GetStreamAsync("green", "call-1"));
    }

    [Fact]
    public async Task GivenTwoTenants_WhenOneArchivesOrReusesAnEventIdOrConflicts_ThenTheOtherIsUntouched()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        var id = Guid.CreateVersion7();
        await store.AppendAsync(_red, "shared", "call", ExpectedVersion.NoStream, [new NewEvent(id, new Noted(1))]);
        await store.AppendAsync(_blue, "shared", "call", ExpectedVersion.NoStream, [new Noted(2)]);

        Assert.True(await store.ArchiveStreamAsync(_red, "shared"));
        var reuse = await Assert.ThrowsAsync<DuplicateEventIdException>(() =>
            store.AppendAsync(_blue, "other", "call", ExpectedVersion.NoStream, [new NewEvent(id, new Noted(1))]));
        var appended = await store.AppendAsync(_blue, "shared", "call", ExpectedVersion.Exact(1), [new Noted(3)]);
        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            store.AppendAsync(_blue, "shared", "call", ExpectedVersion.Exact(1), [new Noted(4)]));

        Assert.DoesNotContain("shared", reuse.Message);
        Assert.Equal(2, appended.NextExpectedVersion);
        Assert.Equal((_blue, 2L), (conflict.Tenant, conflict.ActualVersion));
        Assert.False((await store.GetStreamAsync(_blue, "shared"))!.IsArchived);
        Assert.True((await store.GetStreamAsync(_red, "shared"))!.IsArchived);
    }

    [Fact]
    public async Task GivenTwoTenants_WhenTheProjectionDaemonCounts_ThenCountsAreKeptPerTenant()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        await store.AppendAsync(_red, "count-1", "call", ExpectedVersion.NoStream, [new Noted(1), new Noted(2)]);
        await store.AppendAsync(_blue, "count-1", "call", ExpectedVersion.NoStream, [new Noted(3)]);
        var daemon = new ProjectionDaemon(store, [new EventTypeCountsProjection()]);

        await daemon.RebuildAsync(EventTypeCountsProjection.ProjectionName);

        Assert.Equal(2, await TestEvents.ScalarAsync(database.DataSource,
            $"select events from es_event_type_counts where tenant_id = '{_red}' and event_type = 'test.noted.v1'"));
        Assert.Equal(1, await TestEvents.ScalarAsync(database.DataSource,
            $"select events from es_event_type_counts where tenant_id = '{_blue}' and event_type = 'test.noted.v1'"));
    }
}
