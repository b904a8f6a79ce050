using Aicc.EventStore.Projections;
using Aicc.Testing;

namespace Aicc.EventStore.Tests.Projections;

/// <summary>
/// The bug Marten and Eventuous both shipped: a subscriber that reads "position > checkpoint"
/// skips an event whose transaction took its sequence number first but committed last.
/// </summary>
public sealed class GapSafetyTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly ProjectionDaemonOptions Fast = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(100),
        LeadershipInterval = TimeSpan.FromMilliseconds(100),
        StaleGapTimeout = null,
    };

    [Fact]
    public async Task GivenATransactionHoldingASequenceNumber_WhenLaterEventsCommit_ThenTheProjectionWaitsForItAndThenIncludesIt()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        var projection = new EventLogProjection("gap-commit");
        await projection.EnsureTableAsync(database.DataSource);
        await using var daemon = new ProjectionDaemon(store, [projection], Fast);
        await daemon.StartAsync();
        var before = await store.AppendAsync("acme", "before", "call", ExpectedVersion.NoStream, [new Noted(1), new Noted(2)]);

        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var held = await store.AppendAsync(connection, transaction, "acme", "slow", "call", ExpectedVersion.NoStream, [new Noted(3)]);
        var later = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            later.Add((await store.AppendAsync("acme", $"fast-{i}", "call", ExpectedVersion.NoStream, [new Noted(10 + i)])).LastPosition);
        }

        Assert.True(await TestEvents.EventuallyAsync(async () => (await projection.PositionsAsync(database.DataSource)).Contains(before.LastPosition), TimeSpan.FromSeconds(5)));
        await Task.Delay(600); // several polls and wake-ups: a gap-unsafe daemon would have applied the later events by now
        var whileOpen = await projection.PositionsAsync(database.DataSource);
        var page = await store.ReadAllAsync(0, 100);

        Assert.True(later.Min() > held.LastPosition);
        Assert.DoesNotContain(whileOpen, p => p >= held.LastPosition);
        Assert.Equal(held.LastPosition - 1, page.HighWaterMark);
        Assert.DoesNotContain(page.Events, e => e.Position >= held.LastPosition);

        await transaction.CommitAsync();

        Assert.True(await TestEvents.EventuallyAsync(async () => (await projection.PositionsAsync(database.DataSource)).Contains(later.Max()), TimeSpan.FromSeconds(5)));
        var all = await projection.PositionsAsync(database.DataSource);
        Assert.Contains(held.LastPosition, all);
        Assert.Equal(all.Order(), projection.Applied);
        Assert.Equal(await TestEvents.ScalarAsync(database.DataSource, "select count(*) from es_events"), all.Count);
    }

    [Fact]
    public async Task GivenATransactionHoldingASequenceNumber_WhenItRollsBack_ThenTheProjectionSkipsTheDeadGapAndMovesOn()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        var projection = new EventLogProjection("gap-rollback");
        await projection.EnsureTableAsync(database.DataSource);
        await using var daemon = new ProjectionDaemon(store, [projection], Fast);
        await daemon.StartAsync();

        long held;
        var later = new List<long>();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            held = (await store.AppendAsync(connection, transaction, "acme", "doomed", "call", ExpectedVersion.NoStream, [new Noted(1)])).LastPosition;
            for (var i = 0; i < 3; i++)
            {
                later.Add((await store.AppendAsync("acme", $"after-{i}", "call", ExpectedVersion.NoStream, [new Noted(i)])).LastPosition);
            }

            await Task.Delay(400);
            Assert.DoesNotContain(await projection.PositionsAsync(database.DataSource), p => p > held);
            await transaction.RollbackAsync();
        }

        Assert.True(await TestEvents.EventuallyAsync(async () => (await projection.PositionsAsync(database.DataSource)).Contains(later.Max()), TimeSpan.FromSeconds(5)));
        Assert.Equal(later, (await projection.PositionsAsync(database.DataSource)).Where(p => p >= held));
        Assert.Null(await store.GetStreamAsync("acme", "doomed"));
        var status = (await ProjectionDaemon.GetStatusAsync(database.DataSource)).Single(s => s.Name == "gap-rollback");
        Assert.Equal((later.Max(), 0L), (status.Checkpoint, status.Lag));
    }

    [Fact]
    public async Task GivenAGapHeldOpenLongerThanTheThreshold_WhenTheThresholdPasses_ThenTheTrackerSkipsIt()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var held = (await store.AppendAsync(connection, transaction, "acme", "stuck", "call", ExpectedVersion.NoStream, [new Noted(1)])).LastPosition;
        var after = (await store.AppendAsync("acme", "unstuck", "call", ExpectedVersion.NoStream, [new Noted(2)])).LastPosition;
        var patient = new HighWaterMarkTracker(staleGapTimeout: null);
        var impatient = new HighWaterMarkTracker(staleGapTimeout: TimeSpan.FromMilliseconds(300));
        await using var probe = await database.DataSource.OpenConnectionAsync();

        var waiting = await patient.RefreshAsync(probe, CancellationToken.None);
        var first = await impatient.RefreshAsync(probe, CancellationToken.None);
        await Task.Delay(400);
        var skipped = await impatient.RefreshAsync(probe, CancellationToken.None);
        await transaction.RollbackAsync();

        Assert.Equal(held - 1, first);
        Assert.Equal(after, skipped);
        Assert.Equal(held - 1, waiting);
    }

    [Fact]
    public void GivenASnapshotText_WhenParsed_ThenTheInProgressTransactionsAreRead()
    {
        Assert.Empty(HighWaterMarkTracker.ParseInProgress("745:745:"));
        Assert.Equal([746U, 750U], HighWaterMarkTracker.ParseInProgress("746:752:746,750").Order());
        Assert.Equal([5U], HighWaterMarkTracker.ParseInProgress($"{(1UL << 32) + 5}:{(1UL << 32) + 9}:{(1UL << 32) + 5}"));
    }
}
