using Aicc.Domain;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.EventStore.Schema;
using Aicc.Handlers.Commands;
using Aicc.Handlers.EventTypes;
using Aicc.Testing;

namespace Aicc.Handlers.Tests.Commands;

public sealed class CommandRunnerBatchTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string Tenant = "t-runner-batch";
    private PostgresEventStore _store = null!;

    public async Task InitializeAsync()
    {
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(PostgresEventStore).Assembly);
        _store = new PostgresEventStore(database.DataSource, DomainEventTypes.CreateRegistry());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(Guid Id, CommandResult<CallTask, CallTaskEvent> Created)> NewTaskAsync()
    {
        var id = Guid.CreateVersion7();
        var created = await CommandRunner.RunAsync(_store, Deciders.Task, Tenant, Deciders.Task.StreamId(id),
            new CallTaskCommand.Create(id, Guid.NewGuid(), "Batch", Guid.NewGuid(), DateTimeOffset.UtcNow));
        return (id, created);
    }

    [Fact]
    public async Task GivenSeveralCommands_WhenOneIsRefused_ThenNoneIsAppended()
    {
        var (id, _) = await NewTaskAsync();

        await Assert.ThrowsAsync<DomainException>(() => CommandRunner.RunAllAsync(_store, Deciders.Task, Tenant, Deciders.Task.StreamId(id),
        [
            new CallTaskCommand.Rename(id, "Renamed", DateTimeOffset.UtcNow),
            new CallTaskCommand.SetRateLimit(id, 0, DateTimeOffset.UtcNow),
        ]));

        Assert.Single(await _store.ReadStreamAsync(Tenant, Deciders.Task.StreamId(id)));
    }

    [Fact]
    public async Task GivenSeveralCommands_WhenAllAreAccepted_ThenEachSeesThePreviousAndOneVersionStepIsPerEvent()
    {
        var (id, _) = await NewTaskAsync();

        var result = await CommandRunner.RunAllAsync(_store, Deciders.Task, Tenant, Deciders.Task.StreamId(id),
        [
            new CallTaskCommand.Rename(id, "Renamed", DateTimeOffset.UtcNow),
            new CallTaskCommand.Rename(id, "Renamed", DateTimeOffset.UtcNow),
            new CallTaskCommand.SetRateLimit(id, 30, DateTimeOffset.UtcNow),
        ], expectedVersion: 1);

        Assert.Equal(2, result.Events.Count);
        Assert.Equal(3, result.Version);
        Assert.Equal("Renamed", ((CallTask.Existing)result.State).Setup.Name);
    }

    [Fact]
    public async Task GivenHeldState_WhenAnotherWriterAppendedMeanwhile_ThenRunOnConflictsAndAppendsNothing()
    {
        var (id, created) = await NewTaskAsync();
        await CommandRunner.RunAsync(_store, Deciders.Task, Tenant, Deciders.Task.StreamId(id),
            new CallTaskCommand.Rename(id, "Other writer", DateTimeOffset.UtcNow));

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => CommandRunner.RunOnAsync(_store, Deciders.Task, Tenant,
            Deciders.Task.StreamId(id), created.State, created.Version, new CallTaskCommand.SetRateLimit(id, 30, DateTimeOffset.UtcNow)));

        Assert.Equal(2, (await _store.ReadStreamAsync(Tenant, Deciders.Task.StreamId(id))).Count);
    }
}
