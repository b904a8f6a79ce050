using Aicc.Handlers.Messaging;
using Aicc.Handlers.Messaging.Scheduling;
using Npgsql;

namespace Aicc.Handlers.Tests.Messaging;

public sealed class ScheduledMessageTests(MessagingDatabase database) : IClassFixture<MessagingDatabase>, IAsyncLifetime
{
    private const string Tenant = "tenant-a";
    private const string RingTimeout = "call.ring-timeout.v1";
    private readonly ManualClock _clock = new(WholeMilliseconds(DateTimeOffset.UtcNow));

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GivenMessageDueInTenMinutes_WhenTimePasses_ThenItRunsOnceItIsDueAndNotBefore()
    {
        var due = _clock.Now.AddMinutes(10);
        var scheduled = await MessageScheduler.ScheduleAsync(
            database.DataSource, new ScheduledMessageRequest(Tenant, RingTimeout, """{"call":"c-1"}""", due));
        var worker = Worker(RecordingHandlers("w1"));

        Assert.Equal(0, await worker.ProcessDueAsync(default));
        _clock.Now = due.AddMilliseconds(-1);
        Assert.Equal(0, await worker.ProcessDueAsync(default));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from test_effects"));

        _clock.Now = due;
        Assert.Equal(1, await worker.ProcessDueAsync(default));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await worker.ProcessDueAsync(default));

        Assert.Equal(1L, await database.ScalarAsync<long>("select count(*) from test_effects where message_id = $1", scheduled.Id));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from scheduled_messages"));
    }

    [Fact]
    public async Task GivenRunningWorker_WhenMessageComesDue_ThenItRunsAtItsTimeAndNotBefore()
    {
        using var stop = new CancellationTokenSource();
        var handlers = new ScheduledMessageHandlers().Add(RingTimeout, async (context, ct) =>
            await MessagingDatabase.RecordEffectAsync(context.Connection, context.Transaction, context.Message.Id, "loop", context.Message.Attempt));
        var worker = new ScheduledMessageWorker(database.DataSource, handlers, new ScheduledMessageWorkerOptions { PollInterval = TimeSpan.FromSeconds(30) });
        var running = worker.RunAsync(stop.Token);

        var due = DateTimeOffset.UtcNow.AddMilliseconds(1500);
        var scheduled = await MessageScheduler.ScheduleAsync(
            database.DataSource, new ScheduledMessageRequest(Tenant, RingTimeout, "{}", due));
        await Task.Delay(900);
        var lookedAt = DateTimeOffset.UtcNow;
        var effectsBeforeDue = await database.ScalarAsync<long>("select count(*) from test_effects");
        if (lookedAt < due)
        {
            // Only meaningful if this machine was not so slow that the due time already passed.
            Assert.Equal(0L, effectsBeforeDue);
        }

        await MessagingDatabase.WaitUntilAsync(
            async () => await database.ScalarAsync<long>("select count(*) from test_effects") > 0,
            TimeSpan.FromSeconds(10),
            "the message ran");
        var ranAt = await database.ScalarAsync<DateTime>("select at from test_effects where message_id = $1", scheduled.Id);
        Assert.True(ranAt >= due.UtcDateTime, $"ran at {ranAt:O}, due {due:O}");
        await stop.CancelAsync();
        await running;
        Assert.Equal(1L, worker.Completed);
    }

    [Fact]
    public async Task GivenWorkerSleepingUntilALaterMessage_WhenAnEarlierOneIsScheduled_ThenNotifyWakesItWithoutWaitingForThePoll()
    {
        using var stop = new CancellationTokenSource();
        var worker = new ScheduledMessageWorker(
            database.DataSource,
            RecordingHandlers("notified"),
            new ScheduledMessageWorkerOptions { PollInterval = TimeSpan.FromMinutes(5) });
        await MessageScheduler.ScheduleAsync(
            database.DataSource, new ScheduledMessageRequest(Tenant, RingTimeout, "{}", DateTimeOffset.UtcNow.AddHours(1)));
        // Due long ago but of a type this worker does not handle: it must not suppress the wake-up.
        await MessageScheduler.ScheduleAsync(
            database.DataSource, new ScheduledMessageRequest(Tenant, "campaign.redial.v1", "{}", DateTimeOffset.UtcNow.AddMinutes(-1)));
        var running = worker.RunAsync(stop.Token);
        await Task.Delay(500);

        var soon = await MessageScheduler.ScheduleAsync(
            database.DataSource, new ScheduledMessageRequest(Tenant, RingTimeout, "{}", DateTimeOffset.UtcNow.AddMilliseconds(300)));
        // Without the NOTIFY the worker would sleep for its five-minute poll interval.
        await MessagingDatabase.WaitUntilAsync(
            async () => await database.ScalarAsync<long>("select count(*) from test_effects where message_id = $1", soon.Id) == 1,
            TimeSpan.FromSeconds(10),
            "the earlier message ran");
        await stop.CancelAsync();
        await running;
        Assert.Equal(2L, await database.ScalarAsync<long>("select count(*) from scheduled_messages"));
    }

    [Fact]
    public async Task GivenStreamOfMessagesEachDueJustAfterItIsScheduled_WhenWorkerKeepsUp_ThenNoneWaitsForThePollInterval()
    {
        using var stop = new CancellationTokenSource();
        var worker = new ScheduledMessageWorker(
            database.DataSource,
            RecordingHandlers("stream"),
            new ScheduledMessageWorkerOptions { PollInterval = TimeSpan.FromMinutes(1) });
        var running = worker.RunAsync(stop.Token);
        await Task.Delay(200);

        // A worker can take message n, finish it and look for more just before message n+1
        // commits; if n+1 then skipped its NOTIFY (because n was pending and earlier when it
        // looked), the worker would sleep for the whole minute.
        for (var i = 0; i < 60; i++)
        {
            await MessageScheduler.ScheduleAsync(
                database.DataSource, new ScheduledMessageRequest(Tenant, RingTimeout, "{}", DateTimeOffset.UtcNow.AddMilliseconds(15)));
            await Task.Delay(15);
        }

        await MessagingDatabase.WaitUntilAsync(
            async () => await database.ScalarAsync<long>("select count(*) from test_effects") == 60,
            TimeSpan.FromSeconds(20),
            "all 60 messages ran");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task GivenScheduleInsideCallersTransaction_WhenTransactionRollsBack_ThenMessageNeverExists()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Guid rolledBack;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            rolledBack = (await MessageScheduler.ScheduleAsync(
                connection, transaction, new ScheduledMessageRequest(Tenant, RingTimeout, "{}", _clock.Now))).Id;
            await transaction.RollbackAsync();
        }

        Guid committed;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            committed = (await MessageScheduler.ScheduleAsync(
                connection, transaction, new ScheduledMessageRequest(Tenant, RingTimeout, "{}", _clock.Now))).Id;
            await transaction.CommitAsync();
        }

        var worker = Worker(RecordingHandlers("w1"));
        Assert.Equal(1, await worker.ProcessDueAsync(default));
        Assert.Equal(1L, await database.ScalarAsync<long>("select count(*) from test_effects where message_id = $1", committed));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from test_effects where message_id = $1", rolledBack));
    }

    [Fact]
    public async Task GivenRingTimeoutWithDedupeKey_WhenScheduledTwiceThenCancelledOnAnswer_ThenItNeverRuns()
    {
        var request = new ScheduledMessageRequest(Tenant, RingTimeout, """{"call":"c-7"}""", _clock.Now.AddSeconds(30), "ring-timeout:c-7");
        var first = await MessageScheduler.ScheduleAsync(database.DataSource, request);
        var again = await MessageScheduler.ScheduleAsync(database.DataSource, request);
        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Id, again.Id);
        // Another tenant's key is its own.
        var otherTenant = await MessageScheduler.ScheduleAsync(database.DataSource, request with { Tenant = "tenant-b" });
        Assert.True(otherTenant.Created);

        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.True(await MessageScheduler.CancelAsync(connection, transaction, Tenant, "ring-timeout:c-7"));
            await transaction.CommitAsync();
        }

        Assert.False(await MessageScheduler.CancelAsync(database.DataSource, Tenant, "ring-timeout:c-7"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var worker = Worker(RecordingHandlers("w1"));
        Assert.Equal(1, await worker.ProcessDueAsync(default));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from test_effects where message_id = $1", first.Id));
        Assert.Equal(1L, await database.ScalarAsync<long>("select count(*) from test_effects where message_id = $1", otherTenant.Id));
    }

    [Fact]
    public async Task GivenPendingMessage_WhenCancelledById_ThenItNeverRunsAndCancellingAgainSaysSo()
    {
        var scheduled = await MessageScheduler.ScheduleAsync(
            database.DataSource, new ScheduledMessageRequest(Tenant, RingTimeout, "{}", _clock.Now));
        Assert.True(await MessageScheduler.CancelAsync(database.DataSource, scheduled.Id));
        Assert.False(await MessageScheduler.CancelAsync(database.DataSource, scheduled.Id));
        Assert.Equal(0, await Worker(RecordingHandlers("w1")).ProcessDueAsync(default));
    }

    [Fact]
    public async Task GivenFailingHandler_WhenRetried_ThenBacksOffExponentiallyDeadLettersAndReplaySucceeds()
    {
        var failing = true;
        var handlers = new ScheduledMessageHandlers().Add(RingTimeout, async (context, ct) =>
        {
            // The effect is written before the failure: it must roll back with the attempt.
            await MessagingDatabase.RecordEffectAsync(context.Connection, context.Transaction, context.Message.Id, "w1", context.Message.Attempt);
            if (failing)
            {
                throw new InvalidOperationException($"trunk unavailable (attempt {context.Message.Attempt})");
            }
        });
        var retry = new RetryPolicy(MaxAttempts: 3, BaseDelay: TimeSpan.FromSeconds(1), MaxDelay: TimeSpan.FromMinutes(1));
        var worker = Worker(handlers, retry);
        var scheduled = await MessageScheduler.ScheduleAsync(
            database.DataSource, new ScheduledMessageRequest(Tenant, RingTimeout, """{"call":"c-9"}""", _clock.Now));
        var start = _clock.Now;

        Assert.Equal(1, await worker.ProcessDueAsync(default));
        var pending = Assert.Single(await MessageScheduler.ListPendingAsync(database.DataSource));
        Assert.Equal(1, pending.Attempts);
        Assert.Equal(start.AddSeconds(1), pending.VisibleAt);
        Assert.Contains("trunk unavailable (attempt 1)", pending.LastError);
        Assert.Null(pending.ClaimedBy);

        _clock.Now = start.AddSeconds(1).AddMilliseconds(-1);
        Assert.Equal(0, await worker.ProcessDueAsync(default));
        _clock.Now = start.AddSeconds(1);
        Assert.Equal(1, await worker.ProcessDueAsync(default));
        pending = Assert.Single(await MessageScheduler.ListPendingAsync(database.DataSource));
        Assert.Equal(start.AddSeconds(3), pending.VisibleAt);

        _clock.Now = start.AddSeconds(3);
        Assert.Equal(1, await worker.ProcessDueAsync(default));
        Assert.Empty(await MessageScheduler.ListPendingAsync(database.DataSource));
        var dead = Assert.Single(await ScheduledDeadLetters.ListAsync(database.DataSource, Tenant));
        Assert.Equal(scheduled.Id, dead.Id);
        Assert.Equal(3, dead.Attempts);
        Assert.Contains("trunk unavailable (attempt 3)", dead.LastError);
        Assert.Equal("""{"call": "c-9"}""", dead.PayloadJson);
        Assert.Empty(await ScheduledDeadLetters.ListAsync(database.DataSource, "tenant-b"));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from test_effects"));
        Assert.Equal(3L, worker.Failed + worker.DeadLettered);

        failing = false;
        Assert.True(await ScheduledDeadLetters.ReplayAsync(database.DataSource, scheduled.Id, _clock.Now));
        Assert.False(await ScheduledDeadLetters.ReplayAsync(database.DataSource, scheduled.Id, _clock.Now));
        Assert.Equal(1, await worker.ProcessDueAsync(default));
        Assert.Empty(await ScheduledDeadLetters.ListAsync(database.DataSource));
        Assert.Equal(1L, await database.ScalarAsync<long>("select count(*) from test_effects where message_id = $1 and attempt = 1", scheduled.Id));
    }

    [Fact]
    public async Task GivenClaimThatIsNeverFinished_WhenLeaseExpiresMoreThanMaxAttemptsTimes_ThenItIsDeadLetteredAsAbandoned()
    {
        var scheduled = await MessageScheduler.ScheduleAsync(
            database.DataSource, new ScheduledMessageRequest(Tenant, RingTimeout, "{}", _clock.Now));
        // Simulate workers that died after claiming: the attempts counter is what a claim leaves behind.
        await using (var command = database.DataSource.CreateCommand("update scheduled_messages set attempts = 3 where id = $1"))
        {
            command.Parameters.AddWithValue(scheduled.Id);
            await command.ExecuteNonQueryAsync();
        }

        var worker = Worker(RecordingHandlers("w1"), new RetryPolicy(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)));
        Assert.Equal(1, await worker.ProcessDueAsync(default));
        var dead = Assert.Single(await ScheduledDeadLetters.ListAsync(database.DataSource));
        Assert.StartsWith("abandoned", dead.LastError);
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from test_effects"));
    }

    [Fact]
    public async Task GivenMessageTypeWithoutHandlerOnThisNode_WhenWorkerPolls_ThenItLeavesTheMessageForANodeThatHasOne()
    {
        var scheduled = await MessageScheduler.ScheduleAsync(
            database.DataSource, new ScheduledMessageRequest(Tenant, "campaign.redial.v1", "{}", _clock.Now));
        Assert.Equal(0, await Worker(RecordingHandlers("old-node")).ProcessDueAsync(default));
        var pending = Assert.Single(await MessageScheduler.ListPendingAsync(database.DataSource, dueBy: _clock.Now));
        Assert.Equal(0, pending.Attempts);

        var newNode = Worker(new ScheduledMessageHandlers().Add("campaign.redial.v1", async (context, ct) =>
            await MessagingDatabase.RecordEffectAsync(context.Connection, context.Transaction, context.Message.Id, "new-node", context.Message.Attempt)));
        Assert.Equal(1, await newNode.ProcessDueAsync(default));
        Assert.Equal(1L, await database.ScalarAsync<long>("select count(*) from test_effects where message_id = $1", scheduled.Id));
    }

    [Fact]
    public async Task GivenJobsList_WhenAskedForDueOnly_ThenFutureMessagesAreLeftOut()
    {
        await MessageScheduler.ScheduleAsync(database.DataSource, new ScheduledMessageRequest(Tenant, RingTimeout, "{}", _clock.Now.AddSeconds(-5)));
        await MessageScheduler.ScheduleAsync(database.DataSource, new ScheduledMessageRequest("tenant-b", RingTimeout, "{}", _clock.Now.AddHours(2)));
        Assert.Equal(2, (await MessageScheduler.ListPendingAsync(database.DataSource)).Count);
        var due = Assert.Single(await MessageScheduler.ListPendingAsync(database.DataSource, dueBy: _clock.Now));
        Assert.Equal(Tenant, due.Tenant);
        Assert.Equal("tenant-b", Assert.Single(await MessageScheduler.ListPendingAsync(database.DataSource, tenant: "tenant-b")).Tenant);
    }

    private ScheduledMessageWorker Worker(ScheduledMessageHandlers handlers, RetryPolicy? retry = null) =>
        new(database.DataSource, handlers, new ScheduledMessageWorkerOptions { Retry = retry ?? RetryPolicy.Default }, _clock);

    private static ScheduledMessageHandlers RecordingHandlers(string worker) =>
        new ScheduledMessageHandlers().Add(RingTimeout, async (context, ct) =>
            await MessagingDatabase.RecordEffectAsync(context.Connection, context.Transaction, context.Message.Id, worker, context.Message.Attempt));

    private static DateTimeOffset WholeMilliseconds(DateTimeOffset value) =>
        new(value.Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
