using Aicc.Handlers.Messaging;
using Aicc.Handlers.Messaging.Scheduling;

namespace Aicc.Handlers.Tests.Messaging;

public sealed class ExactlyOnceTests(MessagingDatabase database) : IClassFixture<MessagingDatabase>
{
    private const string JobType = "test.exactly-once.v1";

    [Fact]
    public async Task GivenManyDueJobs_WhenTwoWorkersRunConcurrentlyWithShortLeases_ThenEachJobsEffectHappensExactlyOnce()
    {
        const int jobs = 400;
        await using (var reset = database.DataSource.CreateCommand("truncate scheduled_messages, test_effects"))
        {
            await reset.ExecuteNonQueryAsync();
        }

        var due = DateTimeOffset.UtcNow;
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            for (var i = 0; i < jobs; i++)
            {
                await MessageScheduler.ScheduleAsync(
                    connection, transaction, new ScheduledMessageRequest($"tenant-{i % 3}", JobType, $$"""{"n":{{i}}}""", due.AddMilliseconds(i % 50)));
            }

            await transaction.CommitAsync();
        }

        // Leases shorter than a batch takes to handle: later messages of a batch expire while the
        // worker is busy and the other worker claims them; the claim token (for messages not yet
        // started) and the row lock (for the one being handled) are what keep effects single.
        var options = new ScheduledMessageWorkerOptions
        {
            BatchSize = 10,
            Lease = TimeSpan.FromMilliseconds(60),
            PollInterval = TimeSpan.FromMilliseconds(500),
            Retry = new RetryPolicy(MaxAttempts: 50, BaseDelay: TimeSpan.FromMilliseconds(10), MaxDelay: TimeSpan.FromMilliseconds(50)),
        };
        await using var firstSource = database.CreateDataSource();
        await using var secondSource = database.CreateDataSource();
        var first = new ScheduledMessageWorker(firstSource, Handlers("first"), options with { WorkerId = "first" });
        // Different batch sizes keep the two out of step, so one claims while the other is mid-batch.
        var second = new ScheduledMessageWorker(secondSource, Handlers("second"), options with { WorkerId = "second", BatchSize = 3 });
        using var stop = new CancellationTokenSource();
        var running = new[] { first.RunAsync(stop.Token), second.RunAsync(stop.Token) };

        await MessagingDatabase.WaitUntilAsync(
            async () => await database.ScalarAsync<long>("select count(*) from scheduled_messages") == 0,
            TimeSpan.FromSeconds(40),
            "every job completed");
        await stop.CancelAsync();
        await Task.WhenAll(running);

        Assert.Equal((long)jobs, await database.ScalarAsync<long>("select count(*) from test_effects"));
        Assert.Equal((long)jobs, await database.ScalarAsync<long>("select count(distinct message_id) from test_effects"));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from scheduled_message_dead_letters"));
        Assert.Equal((long)jobs, first.Completed + second.Completed);
        Assert.True(first.Completed > 0 && second.Completed > 0, $"first {first.Completed}, second {second.Completed}");
    }

    [Fact]
    public async Task GivenWorkerWhoseLeaseRanOutMidBatch_WhenAnotherWorkerTakesOverTheRest_ThenTheFirstSkipsThemAndNothingRunsTwice()
    {
        await using (var reset = database.DataSource.CreateCommand("truncate scheduled_messages, test_effects"))
        {
            await reset.ExecuteNonQueryAsync();
        }

        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await MessageScheduler.ScheduleAsync(
                database.DataSource, new ScheduledMessageRequest("tenant-a", JobType, "{}", clock.Now.AddMilliseconds(-10 + i)))).Id);
        }

        var options = new ScheduledMessageWorkerOptions { BatchSize = 10, Lease = TimeSpan.FromSeconds(30) };
        var lateHandlers = new ScheduledMessageHandlers().Add(JobType, async (context, ct) =>
        {
            await MessagingDatabase.RecordEffectAsync(context.Connection, context.Transaction, context.Message.Id, "late", context.Message.Attempt);
            if (context.Message.Id == ids[0])
            {
                // While the late worker is stuck in its first message, its lease on the rest
                // runs out and the other worker claims and completes them.
                clock.Advance(TimeSpan.FromMinutes(1));
                await using var otherSource = database.CreateDataSource();
                var other = new ScheduledMessageWorker(otherSource, Handlers("other"), options with { WorkerId = "other" }, clock);
                Assert.Equal(3, await other.ProcessDueAsync(ct));
                Assert.Equal(3L, other.Completed);
            }
        });
        var late = new ScheduledMessageWorker(database.DataSource, lateHandlers, options with { WorkerId = "late" }, clock);

        Assert.Equal(4, await late.ProcessDueAsync(default));

        Assert.Equal(1L, late.Completed);
        Assert.Equal(3L, late.LostClaims);
        Assert.Equal(4L, await database.ScalarAsync<long>("select count(*) from test_effects"));
        Assert.Equal(4L, await database.ScalarAsync<long>("select count(distinct message_id) from test_effects"));
        Assert.Equal("late", await database.ScalarAsync<string>("select worker from test_effects where message_id = $1", ids[0]));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from scheduled_messages"));
    }

    private static ScheduledMessageHandlers Handlers(string worker) =>
        new ScheduledMessageHandlers().Add(JobType, async (context, ct) =>
        {
            await MessagingDatabase.RecordEffectAsync(context.Connection, context.Transaction, context.Message.Id, worker, context.Message.Attempt);
            await Task.Delay(10, ct);
        });
}
