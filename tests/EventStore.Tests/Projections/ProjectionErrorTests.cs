using Aicc.EventStore.Projections;
using Aicc.Testing;
using Npgsql;

namespace Aicc.EventStore.Tests.Projections;

public sealed class ProjectionErrorTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task GivenAProjectionThatFailsOnce_WhenTheDaemonRuns_ThenStatusShowsTheErrorAndTheRetryAppliesEveryEventOnce()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        var projection = new FailingOnce(new EventLogProjection("flaky"));
        await projection.Inner.EnsureTableAsync(database.DataSource);
        await store.AppendAsync("acme", "flaky-1", "call", ExpectedVersion.NoStream, [new Noted(1), new Noted(2)]);
        await using var daemon = new ProjectionDaemon(store, [projection], new ProjectionDaemonOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(100),
            ErrorBackoff = TimeSpan.FromMilliseconds(800),
        });

        await daemon.StartAsync();
        Assert.True(await TestEvents.EventuallyAsync(async () =>
            (await ProjectionDaemon.GetStatusAsync(database.DataSource)).Single().LastError is not null, TimeSpan.FromSeconds(5)));
        var failed = (await ProjectionDaemon.GetStatusAsync(database.DataSource)).Single();
        Assert.True(await TestEvents.EventuallyAsync(async () =>
            (await ProjectionDaemon.GetStatusAsync(database.DataSource)).Single() is { LastError: null, Lag: 0 }, TimeSpan.FromSeconds(5)));
        var recovered = (await ProjectionDaemon.GetStatusAsync(database.DataSource)).Single();

        Assert.Equal((0L, 2L), (failed.Checkpoint, failed.Lag));
        Assert.Contains("flaky read model unavailable", failed.LastError);
        Assert.NotNull(failed.LastErrorAt);
        Assert.Equal(2L, recovered.Checkpoint);
        Assert.Equal(2, (await projection.Inner.PositionsAsync(database.DataSource)).Count);
    }

    private sealed class FailingOnce(EventLogProjection inner) : IAsyncProjection
    {
        private int _calls;

        public EventLogProjection Inner { get; } = inner;

        public string Name => Inner.Name;

        public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
        {
            // Writes first, then fails: the rollback must take the half-applied batch with it.
            await Inner.ApplyAsync(connection, transaction, events, cancellationToken);
            if (Interlocked.Increment(ref _calls) == 1)
            {
                throw new InvalidOperationException("flaky read model unavailable");
            }
        }

        public Task ResetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
            Inner.ResetAsync(connection, transaction, cancellationToken);
    }
}
