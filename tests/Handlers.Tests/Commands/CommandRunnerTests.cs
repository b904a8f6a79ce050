using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.EventStore.Schema;
using Aicc.Handlers.Commands;
using Aicc.Handlers.EventTypes;
using Aicc.Testing;

namespace Aicc.Handlers.Tests.Commands;

public sealed class CommandRunnerTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string Tenant = "t-runner";
    private PostgresEventStore _store = null!;

    public async Task InitializeAsync()
    {
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(PostgresEventStore).Assembly);
        _store = new PostgresEventStore(database.DataSource, DomainEventTypes.CreateRegistry());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> NewTaskAsync()
    {
        var id = Guid.CreateVersion7();
        await CommandRunner.RunAsync(_store, Deciders.Task, Tenant, Deciders.Task.StreamId(id),
            new CallTaskCommand.Create(id, Guid.NewGuid(), "Runner", Guid.NewGuid(), DateTimeOffset.UtcNow));
        return id;
    }

    [Fact]
    public async Task GivenManyConcurrentCommandsOnOneStream_WhenNoVersionIsPinned_ThenEachIsRedecidedAndNoneIsLost()
    {
        var id = await NewTaskAsync();

        var renames = Enumerable.Range(1, 8).Select(i => Task.Run(() => CommandRunner.RunAsync(_store, Deciders.Task, Tenant,
            Deciders.Task.StreamId(id), new CallTaskCommand.SetRateLimit(id, i * 10, DateTimeOffset.UtcNow))));
        var results = await Task.WhenAll(renames);

        var events = await _store.ReadStreamAsync(Tenant, Deciders.Task.StreamId(id));
        Assert.Equal(9, events.Count);
        Assert.Equal(Enumerable.Range(2, 8).Select(v => (long)v), results.Select(r => r.Version).Order());
    }

    [Fact]
    public async Task GivenPinnedVersionThatIsStale_WhenRun_ThenConflictAndNothingAppended()
    {
        var id = await NewTaskAsync();
        await CommandRunner.RunAsync(_store, Deciders.Task, Tenant, Deciders.Task.StreamId(id),
            new CallTaskCommand.Rename(id, "Second", DateTimeOffset.UtcNow));

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => CommandRunner.RunAsync(_store, Deciders.Task, Tenant,
            Deciders.Task.StreamId(id), new CallTaskCommand.Rename(id, "Third", DateTimeOffset.UtcNow), expectedVersion: 1));

        Assert.Equal(2, conflict.ActualVersion);
        Assert.Equal(2, (await _store.ReadStreamAsync(Tenant, Deciders.Task.StreamId(id))).Count);
    }

    [Fact]
    public async Task GivenRepeatedCommand_WhenRun_ThenNothingIsAppendedAndTheVersionIsUnchanged()
    {
        var id = await NewTaskAsync();
        var first = await CommandRunner.RunAsync(_store, Deciders.Task, Tenant, Deciders.Task.StreamId(id),
            new CallTaskCommand.Rename(id, "Same", DateTimeOffset.UtcNow));

        var again = await CommandRunner.RunAsync(_store, Deciders.Task, Tenant, Deciders.Task.StreamId(id),
            new CallTaskCommand.Rename(id, "Same", DateTimeOffset.UtcNow));

        Assert.Empty(again.Events);
        Assert.Equal(first.Version, again.Version);
    }

    [Fact]
    public async Task GivenUnitOfWorkThatRollsBack_ThenNoneOfItsStreamsExist()
    {
        var id = Guid.CreateVersion7();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var session = _store.OpenSession(connection, transaction);
            await CommandRunner.RunAsync(session, _store, Deciders.Task, Tenant, Deciders.Task.StreamId(id),
                new CallTaskCommand.Create(id, Guid.NewGuid(), "Rolled back", Guid.NewGuid(), DateTimeOffset.UtcNow));
            var inside = await CommandRunner.RunAsync(session, _store, Deciders.Task, Tenant, Deciders.Task.StreamId(id),
                new CallTaskCommand.Rename(id, "Renamed inside", DateTimeOffset.UtcNow));
            Assert.Equal(2, inside.Version); // the unit of work sees its own first append
            await transaction.RollbackAsync();
        }

        Assert.Empty(await _store.ReadStreamAsync(Tenant, Deciders.Task.StreamId(id)));
    }
}
