using Aicc.Testing;

namespace Aicc.EventStore.Tests.Reading;

public sealed class ArchiveAndSnapshotTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string Tenant = "acme";

    [Fact]
    public async Task GivenAnArchivedStream_WhenAppending_ThenItIsRefusedButTheHistoryStaysReadable()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        await store.AppendAsync(Tenant, "closed", "call", ExpectedVersion.NoStream, [new Noted(1), new Noted(2)]);

        Assert.True(await store.ArchiveStreamAsync(Tenant, "closed"));

        await Assert.ThrowsAsync<StreamArchivedException>(() => store.AppendAsync(Tenant, "closed", "call", ExpectedVersion.Exact(2), [new Noted(3)]));
        await Assert.ThrowsAsync<StreamArchivedException>(() => store.AppendAsync(Tenant, "closed", "call", ExpectedVersion.Any, [new Noted(3)]));
        await Assert.ThrowsAsync<StreamArchivedException>(() => store.AppendAsync(Tenant, "closed", "call", ExpectedVersion.NoStream, [new Noted(3)]));
        Assert.Equal([1, 2], (await store.ReadStreamAsync(Tenant, "closed")).Select(e => ((Noted)e.Data).N));
        Assert.True((await store.GetStreamAsync(Tenant, "closed"))!.IsArchived);
        Assert.Equal(2, await TestEvents.ScalarAsync(database.DataSource,
            "select count(*) from es_events where stream_id = 'closed' and is_archived"));
        Assert.False(await store.ArchiveStreamAsync(Tenant, "never-existed"));
    }

    [Fact]
    public async Task GivenASnapshot_WhenAggregating_ThenFoldingStartsFromItAndAppliesOnlyLaterEvents()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        await store.AppendAsync(Tenant, "long", "call", ExpectedVersion.NoStream, Enumerable.Range(1, 10).Select(n => (object)new Noted(n)).ToList());
        var folded = await store.AggregateStreamAsync(Tenant, "long", new Sum(0, 0), Evolve);
        await store.SaveSnapshotAsync(Tenant, "long", "sum.v1", folded.State, folded.Version);
        await store.AppendAsync(Tenant, "long", "call", ExpectedVersion.Exact(10), [new Noted(100)]);

        var evolved = 0;
        var fromSnapshot = await store.AggregateStreamAsync(Tenant, "long", new Sum(0, 0), (s, e) => { evolved++; return Evolve(s, e); }, "sum.v1");
        var otherShape = await store.AggregateStreamAsync(Tenant, "long", new Sum(0, 0), Evolve, "sum.v2");

        Assert.Equal(new Sum(155, 11), fromSnapshot.State);
        Assert.Equal(11, fromSnapshot.Version);
        Assert.Equal(1, evolved);
        Assert.Equal(fromSnapshot.State, otherShape.State);
    }

    private sealed record Sum(int Total, int Events);

    private static Sum Evolve(Sum state, object e) => e is Noted n ? new Sum(state.Total + n.N, state.Events + 1) : state;
}
