using Aicc.Testing;

namespace Aicc.EventStore.Tests.Appending;

public sealed class IdempotentAppendTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string Tenant = "acme";

    [Fact]
    public async Task GivenAppendedIds_WhenTheSameAppendIsRetriedWithTheOldVersion_ThenTheEarlierResultComesBackAndNothingIsDuplicated()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        NewEvent[] batch = [new(Guid.CreateVersion7(), new Noted(1)), new(Guid.CreateVersion7(), new Noted(2))];
        var first = await store.AppendAsync(Tenant, "retry-1", "call", ExpectedVersion.NoStream, batch);
        await store.AppendAsync(Tenant, "retry-1", "call", ExpectedVersion.Exact(2), [new Noted(3)]);

        var retried = await store.AppendAsync(Tenant, "retry-1", "call", ExpectedVersion.NoStream, batch);
        var retriedAny = await store.AppendAsync(Tenant, "retry-1", "call", ExpectedVersion.Any, batch);

        Assert.Equal(first, retried);
        Assert.Equal(first, retriedAny);
        var events = await store.ReadStreamAsync(Tenant, "retry-1");
        Assert.Equal([1, 2, 3], events.Select(e => ((Noted)e.Data).N));
        Assert.Equal(batch.Select(b => b.EventId), events.Take(2).Select(e => e.EventId));
    }

    [Fact]
    public async Task GivenAppendedIds_WhenRetriedInsideACallerTransaction_ThenTheEarlierResultComesBack()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        NewEvent[] batch = [new(Guid.CreateVersion7(), new Noted(7))];
        var first = await store.AppendAsync(Tenant, "retry-2", "call", ExpectedVersion.NoStream, batch);

        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var retried = await store.AppendAsync(connection, transaction, Tenant, "retry-2", "call", ExpectedVersion.NoStream, batch);
        await transaction.CommitAsync();

        Assert.Equal(first, retried);
        Assert.Single(await store.ReadStreamAsync(Tenant, "retry-2"));
    }

    [Fact]
    public async Task GivenConcurrentRetriesOfOneAppend_WhenTheyRace_ThenExactlyOneCopyIsStored()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        NewEvent[] batch = [new(Guid.CreateVersion7(), new Noted(1)), new(Guid.CreateVersion7(), new Noted(2))];

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            store.AppendAsync(Tenant, "retry-3", "call", ExpectedVersion.Any, batch))));

        Assert.Single(results.Distinct());
        Assert.Equal(2, (await store.ReadStreamAsync(Tenant, "retry-3")).Count);
    }

    [Fact]
    public async Task GivenAnIdStoredInAnotherStreamOrOnlyPartly_WhenAppending_ThenTheDuplicateIsRefused()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        var id = Guid.CreateVersion7();
        await store.AppendAsync(Tenant, "owner", "call", ExpectedVersion.NoStream, [new NewEvent(id, new Noted(1))]);

        await Assert.ThrowsAsync<DuplicateEventIdException>(() =>
            store.AppendAsync(Tenant, "thief", "call", ExpectedVersion.NoStream, [new NewEvent(id, new Noted(1))]));
        await Assert.ThrowsAsync<DuplicateEventIdException>(() =>
            store.AppendAsync(Tenant, "owner", "call", ExpectedVersion.Any, [new NewEvent(id, new Noted(1)), new NewEvent(Guid.CreateVersion7(), new Noted(2))]));

        Assert.Null(await store.GetStreamAsync(Tenant, "thief"));
        Assert.Single(await store.ReadStreamAsync(Tenant, "owner"));
    }
}
