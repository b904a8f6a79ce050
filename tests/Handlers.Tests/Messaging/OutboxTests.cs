using System.Collections.Concurrent;
using Aicc.Handlers.Messaging;
using Aicc.Handlers.Messaging.Outbox;

namespace Aicc.Handlers.Tests.Messaging;

public sealed class OutboxTests(MessagingDatabase database) : IClassFixture<MessagingDatabase>, IAsyncLifetime
{
    private const string Tenant = "tenant-a";
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow.AddSeconds(1));

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GivenMessagesWrittenInCallersTransactions_WhenOneRollsBack_ThenOnlyTheCommittedOneIsDelivered()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Outbox.EnqueueAsync(connection, transaction, new OutboxEnvelope(Tenant, "crm", "rolled back"));
            await transaction.RollbackAsync();
        }

        Guid committed;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            committed = await Outbox.EnqueueAsync(connection, transaction, new OutboxEnvelope(Tenant, "crm", "committed"));
            await transaction.CommitAsync();
        }

        var delivered = new ConcurrentQueue<OutboxMessage>();
        var relay = new OutboxRelay(database.DataSource, Collecting("crm", delivered), new OutboxRelayOptions(), _clock);
        Assert.Equal(1, await relay.DeliverDueAsync(default));
        Assert.Equal(0, await relay.DeliverDueAsync(default));

        var message = Assert.Single(delivered);
        Assert.Equal(committed, message.Id);
        Assert.Equal("committed", message.Payload);
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from outbox_messages where payload = 'rolled back'"));
        Assert.Equal(1L, await database.ScalarAsync<long>("select count(*) from outbox_messages where delivered_at is not null"));
    }

    [Fact]
    public async Task GivenRunningRelayAndWebhookThatFailsOnce_WhenMessageCommits_ThenItIsPostedWithHeadersAndRetriedUntilAccepted()
    {
        using var receiver = new WebhookReceiver();
        receiver.Respond = (_, number) => number == 1 ? 503 : 204;
        using var http = new HttpClient();
        var destinations = new OutboxDestinations().Add("crm", new WebhookDestination(http, receiver.Url));
        var relay = new OutboxRelay(database.DataSource, destinations, new OutboxRelayOptions
        {
            PollInterval = TimeSpan.FromSeconds(30),
            Retry = new RetryPolicy(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)),
        });
        using var stop = new CancellationTokenSource();
        var running = relay.RunAsync(stop.Token);

        var id = await Outbox.EnqueueAsync(database.DataSource, new OutboxEnvelope(
            Tenant, "crm", """{"call":"c-1","outcome":"answered"}""", new Dictionary<string, string> { ["X-Aicc-Tenant"] = Tenant }));
        // The poll interval is 30 s: only the NOTIFY and the back-off timer can get this done in time.
        await MessagingDatabase.WaitUntilAsync(
            async () => await database.ScalarAsync<long>("select count(*) from outbox_messages where delivered_at is not null") == 1,
            TimeSpan.FromSeconds(10),
            "the webhook accepted the message");
        await stop.CancelAsync();
        await running;

        Assert.Equal(2, receiver.Received.Count);
        Assert.All(receiver.Received, webhook =>
        {
            Assert.Equal("POST", webhook.Method);
            Assert.Equal("""{"call":"c-1","outcome":"answered"}""", webhook.Body);
            Assert.Equal(id.ToString(), webhook.IdempotencyKey);
            Assert.Equal(Tenant, webhook.Headers["X-Aicc-Tenant"]);
            Assert.StartsWith("application/json", webhook.Headers["Content-Type"]);
        });
        Assert.Equal(1L, relay.Failed);
        Assert.Equal(1L, relay.Delivered);
    }

    [Fact]
    public async Task GivenMessagesSharingAnOrderingKey_WhenOneFailsAtFirst_ThenTheKeysMessagesStillArriveInWriteOrder()
    {
        var attempted = new ConcurrentQueue<string>();
        var delivered = new ConcurrentQueue<string>();
        var failedOnce = 0;
        var destinations = new OutboxDestinations().Add("sip", new InProcessDestination(async (message, ct) =>
        {
            attempted.Enqueue(message.Payload);
            await Task.Delay(2, ct);
            if (message.Payload == "call-1:2" && Interlocked.Exchange(ref failedOnce, 1) == 0)
            {
                throw new IOException("SIP node unreachable");
            }

            delivered.Enqueue(message.Payload);
        }));
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            for (var step = 1; step <= 5; step++)
            {
                foreach (var call in new[] { "call-1", "call-2", "call-3" })
                {
                    await Outbox.EnqueueAsync(connection, transaction, new OutboxEnvelope(Tenant, "sip", $"{call}:{step}", OrderingKey: call));
                }
            }

            await transaction.CommitAsync();
        }

        var relay = new OutboxRelay(database.DataSource, destinations, new OutboxRelayOptions
        {
            MaxConcurrentDeliveries = 4,
            PollInterval = TimeSpan.FromMilliseconds(200),
            Retry = new RetryPolicy(5, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)),
        });
        using var stop = new CancellationTokenSource();
        var running = relay.RunAsync(stop.Token);
        await MessagingDatabase.WaitUntilAsync(
            () => Task.FromResult(delivered.Count == 15), TimeSpan.FromSeconds(15), "all 15 messages were delivered");
        await stop.CancelAsync();
        await running;

        foreach (var call in new[] { "call-1", "call-2", "call-3" })
        {
            var order = delivered.Where(payload => payload.StartsWith(call + ":", StringComparison.Ordinal)).ToList();
            Assert.Equal([$"{call}:1", $"{call}:2", $"{call}:3", $"{call}:4", $"{call}:5"], order);
        }

        // call-1:3 was not even tried before call-1:2 got through.
        var tries = attempted.ToList();
        Assert.True(tries.LastIndexOf("call-1:2") < tries.IndexOf("call-1:3"), string.Join(", ", tries));
        Assert.Equal(2, tries.Count(payload => payload == "call-1:2"));
    }

    [Fact]
    public async Task GivenDestinationThatKeepsFailing_WhenAttemptsRunOut_ThenMessageIsDeadLetteredAndReplayDeliversIt()
    {
        var failing = true;
        var delivered = new ConcurrentQueue<OutboxMessage>();
        var destinations = new OutboxDestinations().Add("crm", new InProcessDestination((message, ct) =>
        {
            if (failing)
            {
                throw new HttpRequestException("502 Bad Gateway");
            }

            delivered.Enqueue(message);
            return Task.CompletedTask;
        }));
        var retry = new RetryPolicy(MaxAttempts: 3, BaseDelay: TimeSpan.FromSeconds(10), MaxDelay: TimeSpan.FromSeconds(15));
        var relay = new OutboxRelay(database.DataSource, destinations, new OutboxRelayOptions { Retry = retry }, _clock);
        var id = await Outbox.EnqueueAsync(database.DataSource, new OutboxEnvelope(Tenant, "crm", "payload", OrderingKey: "call-5"));
        var start = _clock.Now;

        Assert.Equal(1, await relay.DeliverDueAsync(default));
        _clock.Now = start.AddSeconds(9.9);
        Assert.Equal(0, await relay.DeliverDueAsync(default));
        _clock.Now = start.AddSeconds(10);
        Assert.Equal(1, await relay.DeliverDueAsync(default));
        _clock.Now = start.AddSeconds(10 + 15 - 0.1);
        Assert.Equal(0, await relay.DeliverDueAsync(default));
        _clock.Now = start.AddSeconds(25);
        var status = Assert.Single(await OutboxQueries.StatusAsync(database.DataSource));
        Assert.Equal(new { Pending = 1L, Dead = 0L }, new { status.Pending, status.Dead });
        Assert.Contains("502 Bad Gateway", status.LastError);

        Assert.Equal(1, await relay.DeliverDueAsync(default));
        var dead = Assert.Single(await OutboxQueries.ListDeadAsync(database.DataSource, Tenant));
        Assert.Equal(id, dead.Id);
        Assert.Equal(3, dead.Attempts);
        Assert.Contains("502 Bad Gateway", dead.LastError);
        status = Assert.Single(await OutboxQueries.StatusAsync(database.DataSource));
        Assert.Equal(new { Pending = 0L, InFlight = 0L, Delivered = 0L, Dead = 1L }, new { status.Pending, status.InFlight, status.Delivered, status.Dead });

        failing = false;
        Assert.True(await OutboxQueries.ReplayDeadAsync(database.DataSource, id, _clock.Now));
        Assert.Equal(1, await relay.DeliverDueAsync(default));
        Assert.Equal(id, Assert.Single(delivered).Id);
        Assert.Empty(await OutboxQueries.ListDeadAsync(database.DataSource));
        status = Assert.Single(await OutboxQueries.StatusAsync(database.DataSource));
        Assert.Equal(new { Pending = 0L, Delivered = 1L, Dead = 0L }, new { status.Pending, status.Delivered, status.Dead });
    }

    [Fact]
    public async Task GivenDeliveredMessages_WhenPurged_ThenOnlyThoseDeliveredBeforeTheCutOffGo()
    {
        var destinations = Collecting("crm", new ConcurrentQueue<OutboxMessage>());
        var relay = new OutboxRelay(database.DataSource, destinations, new OutboxRelayOptions(), _clock);
        await Outbox.EnqueueAsync(database.DataSource, new OutboxEnvelope(Tenant, "crm", "old"));
        await relay.DeliverDueAsync(default);
        _clock.Advance(TimeSpan.FromHours(1));
        await Outbox.EnqueueAsync(database.DataSource, new OutboxEnvelope(Tenant, "crm", "new"));
        await Outbox.EnqueueAsync(database.DataSource, new OutboxEnvelope(Tenant, "elsewhere", "pending"));
        await relay.DeliverDueAsync(default);

        Assert.Equal(1, await OutboxQueries.PurgeDeliveredAsync(database.DataSource, _clock.Now.AddMinutes(-30)));
        Assert.Equal(new[] { "new", "pending" }, await Payloads());
    }

    private async Task<string[]> Payloads()
    {
        await using var command = database.DataSource.CreateCommand("select payload from outbox_messages order by position");
        await using var reader = await command.ExecuteReaderAsync();
        var payloads = new List<string>();
        while (await reader.ReadAsync())
        {
            payloads.Add(reader.GetString(0));
        }

        return [.. payloads];
    }

    private static OutboxDestinations Collecting(string name, ConcurrentQueue<OutboxMessage> into) =>
        new OutboxDestinations().Add(name, new InProcessDestination((message, _) =>
        {
            into.Enqueue(message);
            return Task.CompletedTask;
        }));
}
