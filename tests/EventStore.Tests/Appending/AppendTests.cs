using Aicc.Testing;
using Npgsql;

namespace Aicc.EventStore.Tests.Appending;

public sealed class AppendTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string Tenant = "acme";

    [Fact]
    public async Task GivenNewStream_WhenAppendingWithNoStream_ThenEventsReadBackInOrderWithVersionsAndMetadata()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        var metadata = new EventMetadata("corr-1", "cmd-1", "agent-7", new Dictionary<string, string> { ["sip-call-id"] = "a84b4c76e66710" });

        var result = await store.AppendAsync(Tenant, "call-1", "call", ExpectedVersion.NoStream,
            [new CallStarted("call-1", "+4930123", TestEvents.At), new CallAnswered("call-1", "agent-7", TestEvents.At.AddSeconds(5))], metadata);

        var events = await store.ReadStreamAsync(Tenant, "call-1");
        Assert.Equal(2, result.NextExpectedVersion);
        Assert.Equal([1L, 2L], events.Select(e => e.Version));
        Assert.Equal(result.LastPosition, events[^1].Position);
        Assert.True(events[0].Position < events[1].Position);
        Assert.Equal(["call.started.v1", "call.answered.v1"], events.Select(e => e.TypeName));
        Assert.Equal(new CallAnswered("call-1", "agent-7", TestEvents.At.AddSeconds(5)), events[1].Data);
        Assert.All(events, e => Assert.Equal("call", e.StreamType));
        Assert.Equal("corr-1", events[0].Metadata!.CorrelationId);
        Assert.Equal("a84b4c76e66710", events[1].Metadata!.Headers!["sip-call-id"]);
        Assert.Equal(events[0].Timestamp, events[1].Timestamp);
    }

    [Fact]
    public async Task GivenExistingStream_WhenAppendingWithStaleVersion_ThenConflictNamesStreamExpectedAndActual()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        await store.AppendAsync(Tenant, "call-2", "call", ExpectedVersion.NoStream, [new Noted(1), new Noted(2), new Noted(3)]);

        var stale = await Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            store.AppendAsync(Tenant, "call-2", "call", ExpectedVersion.Exact(2), [new Noted(4)]));
        var again = await Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            store.AppendAsync(Tenant, "call-2", "call", ExpectedVersion.NoStream, [new Noted(4)]));
        var missing = await Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            store.AppendAsync(Tenant, "call-none", "call", ExpectedVersion.Exact(1), [new Noted(4)]));

        Assert.Equal(("acme", "call-2", 2L, 3L), (stale.Tenant, stale.StreamId, stale.Expected.Value, stale.ActualVersion));
        Assert.Contains("call-2", stale.Message);
        Assert.Contains("expected version 2", stale.Message);
        Assert.Contains("actual version 3", stale.Message);
        Assert.Equal(3L, again.ActualVersion);
        Assert.Equal(0L, missing.ActualVersion);
        Assert.Equal(3, (await store.ReadStreamAsync(Tenant, "call-2")).Count);
    }

    [Fact]
    public async Task GivenAnyVersion_WhenAppendingTwice_ThenStreamIsCreatedAndExtended()
    {
        var store = await TestEvents.CreateStoreAsync(database);

        var first = await store.AppendAsync(Tenant, "call-any", "call", ExpectedVersion.Any, [new Noted(1)]);
        var second = await store.AppendAsync(Tenant, "call-any", "call", ExpectedVersion.Any, [new Noted(2), new Noted(3)]);
        var exact = await store.AppendAsync(Tenant, "call-any", "call", ExpectedVersion.Exact(3), [new Noted(4)]);

        Assert.Equal([1L, 3L, 4L], new[] { first.NextExpectedVersion, second.NextExpectedVersion, exact.NextExpectedVersion });
        Assert.Equal([1, 2, 3, 4], (await store.ReadStreamAsync(Tenant, "call-any")).Select(e => ((Noted)e.Data).N));
        Assert.Equal([3, 4], (await store.ReadStreamAsync(Tenant, "call-any", fromVersion: 3)).Select(e => ((Noted)e.Data).N));
    }

    [Fact]
    public async Task GivenSixteenWritersRacingOnOneStream_WhenEachAppendsWithExactVersions_ThenEveryVersionIsWonExactlyOnce()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        const int writers = 16;
        const int target = 160;
        var winners = new System.Collections.Concurrent.ConcurrentBag<(long Version, int Writer, int N)>();
        var conflicts = new System.Collections.Concurrent.ConcurrentBag<WrongExpectedVersionException>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var tasks = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            await start.Task;
            var attempt = 0;
            while (true)
            {
                var version = (await store.GetStreamAsync(Tenant, "race"))?.Version ?? 0;
                if (version >= target)
                {
                    return;
                }

                var n = writer * 100_000 + attempt++;
                try
                {
                    var expected = version == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(version);
                    var result = await store.AppendAsync(Tenant, "race", "race", expected, [new Noted(n)]);
                    winners.Add((result.NextExpectedVersion, writer, n));
                }
                catch (WrongExpectedVersionException conflict)
                {
                    conflicts.Add(conflict);
                }
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(tasks);

        var events = await store.ReadStreamAsync(Tenant, "race");
        var wonVersions = winners.Select(w => w.Version).Order().ToList();
        Assert.Equal(Enumerable.Range(1, wonVersions.Count).Select(v => (long)v), wonVersions);
        Assert.InRange(wonVersions.Count, target, target + writers);
        Assert.Equal(wonVersions.Count, events.Count);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), events.Select(e => e.Version));
        Assert.Equal(winners.OrderBy(w => w.Version).Select(w => w.N), events.Select(e => ((Noted)e.Data).N));
        Assert.NotEmpty(conflicts);
        Assert.All(conflicts, c => Assert.True(c.ActualVersion > c.Expected.Value, $"{c.ActualVersion} > {c.Expected.Value}"));
    }

    [Fact]
    public async Task GivenSixteenWritersAllCreatingOneStream_WhenTheyRace_ThenOneWinsAndFifteenGetTheConflict()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racing = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await store.AppendAsync(Tenant, "first-wins", "race", ExpectedVersion.NoStream, [new Noted(i)]);
                return (Exception?)null;
            }
            catch (WrongExpectedVersionException ex)
            {
                return ex;
            }
        })).ToArray();
        start.SetResult();
        var outcomes = await Task.WhenAll(racing);

        Assert.Single(outcomes, o => o is null);
        Assert.Equal(15, outcomes.OfType<WrongExpectedVersionException>().Count(c => c.ActualVersion == 1));
        Assert.Single(await store.ReadStreamAsync(Tenant, "first-wins"));
    }

    [Fact]
    public async Task GivenCallerTransaction_WhenAppendingToTwoStreams_ThenBothCommitOrNeither()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var session = store.OpenSession(connection, transaction);
            await session.AppendAsync(Tenant, "leg-a", "leg", ExpectedVersion.NoStream, [new Noted(1)]);
            await session.AppendAsync(Tenant, "leg-b", "leg", ExpectedVersion.NoStream, [new Noted(2)]);
            await transaction.RollbackAsync();
        }

        Assert.Null(await store.GetStreamAsync(Tenant, "leg-a"));
        Assert.Empty(await store.ReadStreamAsync(Tenant, "leg-b"));

        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await store.AppendAsync(connection, transaction, Tenant, "leg-a", "leg", ExpectedVersion.NoStream, [new Noted(1)]);
            await store.AppendAsync(connection, transaction, Tenant, "leg-b", "leg", ExpectedVersion.NoStream, [new Noted(2)]);
            await using (var outbox = new NpgsqlCommand("create temp table outbox_probe as select 1 as x", connection, transaction))
            {
                await outbox.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        Assert.Single(await store.ReadStreamAsync(Tenant, "leg-a"));
        Assert.Single(await store.ReadStreamAsync(Tenant, "leg-b"));
    }

    [Fact]
    public async Task GivenCallerTransaction_WhenOneAppendConflicts_ThenTheTransactionStaysUsable()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        await store.AppendAsync(Tenant, "busy", "leg", ExpectedVersion.NoStream, [new Noted(1)]);

        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var session = store.OpenSession(connection, transaction);
        await Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            session.AppendAsync(Tenant, "busy", "leg", ExpectedVersion.NoStream, [new Noted(2)]));
        await session.AppendAsync(Tenant, "busy", "leg", ExpectedVersion.Exact(1), [new Noted(2)]);
        await transaction.CommitAsync();

        Assert.Equal([1, 2], (await store.ReadStreamAsync(Tenant, "busy")).Select(e => ((Noted)e.Data).N));
    }

    [Fact]
    public async Task GivenInlineProjection_WhenAppending_ThenReadModelCommitsWithEventsAndRollsBackWithThem()
    {
        await using (var create = database.DataSource.CreateCommand(
            "create table if not exists inline_counts (stream_id text primary key, events int not null)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var store = await TestEvents.CreateStoreAsync(database, new EventStoreOptions { InlineProjections = [new InlineCounts()] });
        await store.AppendAsync(Tenant, "inline-1", "call", ExpectedVersion.NoStream, [new Noted(1), new Noted(2)]);
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await store.AppendAsync(connection, transaction, Tenant, "inline-1", "call", ExpectedVersion.Exact(2), [new Noted(3)]);
            await transaction.RollbackAsync();
        }

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            store.AppendAsync(Tenant, "inline-1", "call", ExpectedVersion.Exact(1), [new Noted(3)]));

        Assert.Equal(2, await TestEvents.ScalarAsync(database.DataSource, "select events from inline_counts where stream_id = 'inline-1'"));
    }

    [Fact]
    public async Task GivenUnregisteredEventType_WhenAppending_ThenItIsRefusedBeforeAnythingIsWritten()
    {
        var store = await TestEvents.CreateStoreAsync(database);

        await Assert.ThrowsAsync<UnknownEventTypeException>(() =>
            store.AppendAsync(Tenant, "typo", "call", ExpectedVersion.NoStream, [new { Hello = 1 }]));

        Assert.Null(await store.GetStreamAsync(Tenant, "typo"));
    }

    private sealed class InlineCounts : IInlineProjection
    {
        public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand("""
                insert into inline_counts (stream_id, events) values ($1, $2)
                on conflict (stream_id) do update set events = inline_counts.events + excluded.events
                """, connection, transaction);
            command.Parameters.AddWithValue(events[0].StreamId);
            command.Parameters.AddWithValue(events.Count);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
