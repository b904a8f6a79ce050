using System.Collections.Concurrent;
using System.Diagnostics;
using Aicc.Handlers.Messaging.Outbox;
using Aicc.Handlers.Messaging.Scheduling;
using Npgsql;

namespace Aicc.Handlers.Messaging;

/// <summary>
/// Measures the scheduler and the outbox against a real database (<c>aicc jobs bench</c>):
/// how fast messages are scheduled, run by two workers, enqueued and relayed, and how late a
/// message runs after its due time when workers are idle (the NOTIFY and sleep-until-due
/// path). It works on its own tenant and message types and removes what it wrote.
/// </summary>
public static class MessagingBenchmark
{
    /// <summary>One measured figure, printed as a JSON line by the CLI.</summary>
    public sealed record Metric(string Name, double Value, string Unit);

    private const string Tenant = "bench";
    private const string ThroughputType = "bench.throughput.v1";
    private const string FutureType = "bench.future.v1";
    private const string LatencyType = "bench.latency.v1";
    private const string Destination = "bench.noop";

    public static async IAsyncEnumerable<Metric> RunAsync(
        NpgsqlDataSource dataSource,
        int messages,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(dataSource, """
            create unlogged table if not exists messaging_bench_effects (message_id uuid not null);
            truncate messaging_bench_effects;
            delete from scheduled_messages where tenant = 'bench';
            delete from outbox_messages where tenant = 'bench';
            """, cancellationToken);
        try
        {
            // Due in an hour behind an earlier pending message: no NOTIFY, the common case of
            // ring timeouts and redials.
            var futureSeconds = await TimeAsync(() => ScheduleManyAsync(
                dataSource, messages, FutureType, DateTimeOffset.UtcNow.AddHours(1), TimeSpan.FromMilliseconds(1), cancellationToken));
            yield return new Metric("schedule_future_per_s", Math.Round(messages / futureSeconds), "messages/s");

            // Due at once: every schedule sends a NOTIFY, and PostgreSQL commits notifying
            // transactions one at a time.
            var dueSeconds = await TimeAsync(() => ScheduleManyAsync(
                dataSource, messages, ThroughputType, DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(-1), cancellationToken));
            yield return new Metric("schedule_due_now_per_s", Math.Round(messages / dueSeconds), "messages/s");

            var runSeconds = await TimeAsync(() => RunWithTwoWorkersAsync(dataSource, messages, cancellationToken));
            yield return new Metric("scheduled_run_per_s", Math.Round(messages / runSeconds), "messages/s");

            var lateness = await MeasureLatenessAsync(dataSource, 200, cancellationToken);
            yield return new Metric("scheduled_lateness_p50_ms", Percentile(lateness, 0.50), "ms");
            yield return new Metric("scheduled_lateness_p99_ms", Percentile(lateness, 0.99), "ms");

            var enqueueSeconds = await TimeAsync(() => EnqueueManyAsync(dataSource, messages, cancellationToken));
            yield return new Metric("outbox_enqueue_per_s", Math.Round(messages / enqueueSeconds), "messages/s");

            var relaySeconds = await TimeAsync(() => RelayAllAsync(dataSource, messages, cancellationToken));
            yield return new Metric("outbox_delivered_per_s", Math.Round(messages / relaySeconds), "messages/s");
        }
        finally
        {
            await ExecuteAsync(dataSource, """
                drop table if exists messaging_bench_effects;
                delete from scheduled_messages where tenant = 'bench';
                delete from outbox_messages where tenant = 'bench';
                delete from scheduled_message_dead_letters where tenant = 'bench';
                delete from outbox_dead_letters where tenant = 'bench';
                """, CancellationToken.None);
        }
    }

    /// <summary>Four writers, one message per transaction, as command handlers would schedule.</summary>
    private static async Task ScheduleManyAsync(
        NpgsqlDataSource dataSource,
        int messages,
        string messageType,
        DateTimeOffset first,
        TimeSpan step,
        CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(
            Enumerable.Range(0, messages),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, ct) => await MessageScheduler.ScheduleAsync(
                dataSource, new ScheduledMessageRequest(Tenant, messageType, $$"""{"n":{{i}}}""", first + (step * i)), ct));
    }

    private static async Task RunWithTwoWorkersAsync(NpgsqlDataSource dataSource, int messages, CancellationToken cancellationToken)
    {
        var handlers = new ScheduledMessageHandlers().Add(ThroughputType, async (context, ct) =>
        {
            await using var effect = new NpgsqlCommand(
                "insert into messaging_bench_effects (message_id) values ($1)", context.Connection, context.Transaction);
            effect.Parameters.AddWithValue(context.Message.Id);
            await effect.ExecuteNonQueryAsync(ct);
        });
        var options = new ScheduledMessageWorkerOptions { BatchSize = 50 };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = Enumerable.Range(0, 2)
            .Select(n => new ScheduledMessageWorker(dataSource, handlers, options with { WorkerId = $"bench-{n}" }).RunAsync(stop.Token))
            .ToArray();
        await WaitForCountAsync(dataSource, "select count(*) from messaging_bench_effects", messages, cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
    }

    /// <summary>Messages due 20 ms after they are scheduled, 50 a second, one idle worker: how late do they run?</summary>
    private static async Task<List<double>> MeasureLatenessAsync(NpgsqlDataSource dataSource, int count, CancellationToken cancellationToken)
    {
        var lateness = new ConcurrentBag<double>();
        var handlers = new ScheduledMessageHandlers().Add(LatencyType, (context, _) =>
        {
            lateness.Add((DateTimeOffset.UtcNow - context.Message.DueAt).TotalMilliseconds);
            return Task.CompletedTask;
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var worker = new ScheduledMessageWorker(dataSource, handlers, new ScheduledMessageWorkerOptions { WorkerId = "bench-latency" });
        var running = worker.RunAsync(stop.Token);
        await Task.Delay(300, cancellationToken);
        for (var i = 0; i < count; i++)
        {
            await MessageScheduler.ScheduleAsync(
                dataSource, new ScheduledMessageRequest(Tenant, LatencyType, "{}", DateTimeOffset.UtcNow.AddMilliseconds(20)), cancellationToken);
            await Task.Delay(20, cancellationToken);
        }

        var deadline = Stopwatch.StartNew();
        while (lateness.Count < count && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20, cancellationToken);
        }

        await stop.CancelAsync();
        await running;
        return [.. lateness];
    }

    /// <summary>Transactions of 100 messages each, as an append that produces several webhooks would.</summary>
    private static async Task EnqueueManyAsync(NpgsqlDataSource dataSource, int messages, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(
            Enumerable.Range(0, (messages + 99) / 100),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                for (var i = batch * 100; i < Math.Min(messages, (batch + 1) * 100); i++)
                {
                    await Outbox.Outbox.EnqueueAsync(
                        connection, transaction, new OutboxEnvelope(Tenant, Destination, $$"""{"n":{{i}}}""", OrderingKey: $"key-{i % 64}"), ct);
                }

                await transaction.CommitAsync(ct);
            });
    }

    private static async Task RelayAllAsync(NpgsqlDataSource dataSource, int messages, CancellationToken cancellationToken)
    {
        var destinations = new OutboxDestinations().Add(Destination, new InProcessDestination((_, _) => Task.CompletedTask));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var relay = new OutboxRelay(dataSource, destinations, new OutboxRelayOptions { RelayId = "bench-relay", BatchSize = 200 });
        var running = relay.RunAsync(stop.Token);
        await WaitForCountAsync(
            dataSource, "select count(*) from outbox_messages where tenant = 'bench' and delivered_at is not null", messages, cancellationToken);
        await stop.CancelAsync();
        await running;
    }

    private static async Task WaitForCountAsync(NpgsqlDataSource dataSource, string sql, long expected, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var command = dataSource.CreateCommand(sql);
            if ((long)(await command.ExecuteScalarAsync(cancellationToken))! >= expected)
            {
                return;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var stopwatch = Stopwatch.StartNew();
        await action();
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static double Percentile(List<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return Math.Round(values[(int)Math.Min(values.Count - 1, Math.Ceiling(fraction * values.Count) - 1)], 1);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
