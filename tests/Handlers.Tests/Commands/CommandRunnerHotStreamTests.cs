using Aicc.Domain;
using Aicc.Domain.Lines;
using Aicc.EventStore;
using Aicc.EventStore.Schema;
using Aicc.Handlers.Commands;
using Aicc.Handlers.EventTypes;
using Aicc.Testing;

namespace Aicc.Handlers.Tests.Commands;

/// <summary><see cref="CommandRunner.RunFromAsync"/> on a line's stream, the hot stream every call seizes and releases on.</summary>
public sealed class CommandRunnerHotStreamTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string Tenant = "t-hot";
    private PostgresEventStore _store = null!;

    public async Task InitializeAsync()
    {
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(PostgresEventStore).Assembly);
        _store = new PostgresEventStore(database.DataSource, DomainEventTypes.CreateRegistry());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GivenSixteenTransactionsRacingForFiveChannels_WhenEachSeizesFromAStaleCopy_ThenExactlyFiveWinAndTheRestAreRefusedAtTheCap()
    {
        var lineId = Guid.CreateVersion7();
        var stream = Deciders.Line.StreamId(lineId);
        await CommandRunner.RunAsync(_store, Deciders.Line, Tenant, stream,
            new LineCommand.Create(lineId, Guid.NewGuid(), "hot", new LineConfig("gw:5060", LineTransport.Udp, null, CallerIdRules.FromTaskPool, 5), DateTimeOffset.UtcNow));
        // Every writer starts from the same copy (version 1, no channel in use), as dialers that
        // read the line a moment ago do: all but the first append meet a newer stream.
        var (known, version) = await CommandRunner.LoadAsync(_store, Deciders.Line, Tenant, stream, CancellationToken.None);
        using var start = new SemaphoreSlim(0);

        async Task<bool> SeizeAsync(Guid callId)
        {
            await start.WaitAsync();
            await using var connection = await database.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            try
            {
                var result = await CommandRunner.RunFromAsync(_store.OpenSession(connection, transaction), _store, Deciders.Line, Tenant, stream, known, version,
                    new LineCommand.SeizeChannel(lineId, callId, DateTimeOffset.UtcNow));
                await transaction.CommitAsync();
                return result.Events.Count == 1;
            }
            catch (DomainException e) when (e.Code == "line.at_capacity")
            {
                return false;
            }
        }

        var racers = Enumerable.Range(0, 16).Select(_ => Task.Run(() => SeizeAsync(Guid.CreateVersion7()))).ToList();
        start.Release(16);
        var won = await Task.WhenAll(racers);

        Assert.Equal(5, won.Count(w => w));
        var (line, after) = await CommandRunner.LoadAsync(_store, Deciders.Line, Tenant, stream, CancellationToken.None);
        Assert.Equal(5, ((Line.Active)line).ChannelsInUse.Count);
        Assert.Equal(6L, after);
        var seized = (await _store.ReadStreamAsync(Tenant, stream)).Select(e => e.Data).OfType<LineEvent.ChannelSeized>().ToList();
        Assert.Equal([1, 2, 3, 4, 5], seized.Select(s => s.InUse));
    }

    [Fact]
    public async Task GivenACopyOfTheLineFromEarlier_WhenReleasing_ThenItFoldsOnFromThatCopyAndReleasesOnlyWhatIsHeld()
    {
        var lineId = Guid.CreateVersion7();
        var stream = Deciders.Line.StreamId(lineId);
        var (call1, call2) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await CommandRunner.RunAsync(_store, Deciders.Line, Tenant, stream,
            new LineCommand.Create(lineId, Guid.NewGuid(), "hot", new LineConfig("gw:5060", LineTransport.Udp, null, CallerIdRules.FromTaskPool, 2), DateTimeOffset.UtcNow));
        var (early, earlyVersion) = await CommandRunner.LoadAsync(_store, Deciders.Line, Tenant, stream, CancellationToken.None);
        await CommandRunner.RunAsync(_store, Deciders.Line, Tenant, stream, new LineCommand.SeizeChannel(lineId, call1, DateTimeOffset.UtcNow));
        await CommandRunner.RunAsync(_store, Deciders.Line, Tenant, stream, new LineCommand.SeizeChannel(lineId, call2, DateTimeOffset.UtcNow));

        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var session = _store.OpenSession(connection, transaction);
        var released = await CommandRunner.RunFromAsync(session, _store, Deciders.Line, Tenant, stream, early, earlyVersion,
            new LineCommand.ReleaseChannel(lineId, call1, DateTimeOffset.UtcNow));
        var again = await CommandRunner.RunFromAsync(session, _store, Deciders.Line, Tenant, stream, released.State, released.Version,
            new LineCommand.ReleaseChannel(lineId, call1, DateTimeOffset.UtcNow));
        await transaction.CommitAsync();

        Assert.Equal(new LineEvent.ChannelReleased(lineId, call1, 1, ((LineEvent.ChannelReleased)released.Events.Single()).ReleasedAt), released.Events.Single());
        Assert.Equal(4L, released.Version);
        Assert.Empty(again.Events);
        Assert.Equal([call2], ((Line.Active)again.State).ChannelsInUse);
    }
}
