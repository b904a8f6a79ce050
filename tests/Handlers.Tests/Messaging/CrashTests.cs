using Aicc.Handlers.Messaging.Outbox;
using Aicc.Handlers.Messaging.Scheduling;

namespace Aicc.Handlers.Tests.Messaging;

/// <summary>Real crashes: a child worker process is killed with SIGKILL in the middle of its work.</summary>
public sealed class CrashTests(MessagingDatabase database) : IClassFixture<MessagingDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GivenProcessThatScheduledAndClaimedAMessage_WhenKilledMidHandling_ThenAnotherWorkerCompletesItExactlyOnce()
    {
        using var child = new CrashWorkerProcess("scheduler", database.ConnectionString, "1500");
        var id = Guid.Parse(await child.WaitForLineAsync("scheduled ", TimeSpan.FromSeconds(30)));
        Assert.Equal(id.ToString(), await child.WaitForLineAsync("handling ", TimeSpan.FromSeconds(30)));

        // Mid-handling: the child holds the claim and its effect is not committed.
        var claimedBy = await database.ScalarAsync<string>("select claimed_by from scheduled_messages where id = $1", id);
        Assert.Contains($":{child.Id}:", claimedBy);
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from test_effects"));
        await child.KillAsync();

        var handlers = new ScheduledMessageHandlers().Add(CrashWorkerProgram.CrashType, async (context, ct) =>
            await MessagingDatabase.RecordEffectAsync(context.Connection, context.Transaction, context.Message.Id, "survivor", context.Message.Attempt));
        var survivor = new ScheduledMessageWorker(database.DataSource, handlers, new ScheduledMessageWorkerOptions { PollInterval = TimeSpan.FromMilliseconds(250) });
        using var stop = new CancellationTokenSource();
        var running = survivor.RunAsync(stop.Token);
        await MessagingDatabase.WaitUntilAsync(
            async () => await database.ScalarAsync<long>("select count(*) from scheduled_messages") == 0,
            TimeSpan.FromSeconds(15),
            "the survivor completed the message");
        await stop.CancelAsync();
        await running;

        Assert.Equal(1L, await database.ScalarAsync<long>("select count(*) from test_effects"));
        Assert.Equal("survivor", await database.ScalarAsync<string>("select worker from test_effects where message_id = $1", id));
        Assert.Equal(2, await database.ScalarAsync<int>("select attempt from test_effects where message_id = $1", id));
    }

    [Fact]
    public async Task GivenRelayThatDeliveredButDiedBeforeMarking_WhenAnotherRelayRuns_ThenTheMessageIsDeliveredAgainAndMarked()
    {
        using var receiver = new WebhookReceiver();
        // The first delivery reaches the receiver, which does not answer before the relay dies.
        receiver.Respond = (_, number) => number == 1 ? null : 200;
        using var child = new CrashWorkerProcess("outbox", database.ConnectionString, receiver.Url.ToString());
        var id = Guid.Parse(await child.WaitForLineAsync("enqueued ", TimeSpan.FromSeconds(30)));
        await MessagingDatabase.WaitUntilAsync(
            () => Task.FromResult(receiver.Received.Count == 1), TimeSpan.FromSeconds(20), "the child delivered once");
        await child.KillAsync();
        receiver.AbortHeld();
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from outbox_messages where delivered_at is not null"));

        using var http = new HttpClient();
        var destinations = new OutboxDestinations().Add(CrashWorkerProgram.CrashDestination, new WebhookDestination(http, receiver.Url));
        var relay = new OutboxRelay(database.DataSource, destinations, new OutboxRelayOptions { PollInterval = TimeSpan.FromMilliseconds(250) });
        using var stop = new CancellationTokenSource();
        var running = relay.RunAsync(stop.Token);
        await MessagingDatabase.WaitUntilAsync(
            async () => await database.ScalarAsync<long>("select count(*) from outbox_messages where delivered_at is not null and id = $1", id) == 1,
            TimeSpan.FromSeconds(15),
            "the second relay marked the message delivered");
        await stop.CancelAsync();
        await running;

        Assert.Equal(2, receiver.Received.Count);
        Assert.All(receiver.Received, webhook => Assert.Equal(id.ToString(), webhook.IdempotencyKey));
        Assert.All(receiver.Received, webhook => Assert.Equal("""{"event":"call.ended"}""", webhook.Body));
        Assert.Equal(2, await database.ScalarAsync<int>("select attempts from outbox_messages where id = $1", id));
    }
}
