using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using Aicc.Api.Cli;
using Aicc.Api.Hosting;
using Aicc.EventStore;
using Aicc.EventStore.Projections;
using Npgsql;

namespace Aicc.Api.Bench;

/// <summary>
/// <c>aicc bench eventstore</c>: append throughput (batched and single-event), conflict
/// detection under a 16-writer race, append-to-read-model lag at a steady rate, and projection
/// rebuild speed, on a scratch database created for the run and dropped afterwards.
/// </summary>
public static class EventStoreBench
{
    private const string Suite = "eventstore";

    /// <summary>The event the benchmark writes: the size of a typical call event.</summary>
    public sealed record BenchCallEvent(string CallId, int Seq, string Agent, string Queue, DateTimeOffset At);

    public static Command Build()
    {
        var connection = CliOptions.Connection();
        var events = new Option<int>("--events") { Description = "Events for the batched append (and so the rebuild)", DefaultValueFactory = _ => 200_000 };
        var writers = new Option<int>("--writers") { Description = "Concurrent writers for the single-event append", DefaultValueFactory = _ => 8 };
        var seconds = new Option<int>("--seconds") { Description = "Duration of the single-event and lag phases", DefaultValueFactory = _ => 5 };
        var rate = new Option<int>("--lag-rate") { Description = "Events per second during the lag phase", DefaultValueFactory = _ => 1000 };
        var notifyMs = new Option<int>("--notify-interval-ms") { Description = "At most one NOTIFY per this many ms per store (0: every append; -1: none)", DefaultValueFactory = _ => 10 };
        var keep = new Option<bool>("--keep") { Description = "Keep the scratch database" };
        var command = new Command("eventstore", "Event store and projection daemon benchmark.") { connection, events, writers, seconds, rate, notifyMs, keep };
        command.SetAction(async (parse, ct) =>
        {
            var server = CliOptions.ResolveConnection(parse.GetValue(connection));
            var scratch = "aicc_bench_" + Guid.NewGuid().ToString("N")[..10];
            await ExecuteOnServerAsync(server, $"create database {scratch}", ct);
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(server)
                {
                    Database = scratch,
                    ApplicationName = "aicc-bench",
                    MaxPoolSize = 60,
                    MaxAutoPrepare = 32,
                    AutoPrepareMinUsages = 2,
                };
                await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
                await Database.MigrateAsync(dataSource, ct);
                var registry = new EventTypeRegistry().Register<BenchCallEvent>("bench.call-event.v1");
                var notify = parse.GetValue(notifyMs);
                var store = new PostgresEventStore(dataSource, registry, new EventStoreOptions
                {
                    NotifyOnAppend = notify >= 0,
                    NotifyInterval = TimeSpan.FromMilliseconds(Math.Max(0, notify)),
                });

                await AppendBatchedAsync(store, parse.GetValue(events), ct);
                await AppendSingleAsync(store, parse.GetValue(writers), TimeSpan.FromSeconds(parse.GetValue(seconds)), ct);
                await RaceAsync(store, ct);
                await MeasureLagAsync(store, parse.GetValue(rate), TimeSpan.FromSeconds(parse.GetValue(seconds) * 2), ct);
                await RebuildAsync(store, ct);
            }
            finally
            {
                if (!parse.GetValue(keep))
                {
                    NpgsqlConnection.ClearAllPools();
                    await ExecuteOnServerAsync(server, $"drop database if exists {scratch} with (force)", CancellationToken.None);
                }
                else
                {
                    Console.Error.WriteLine($"kept scratch database {scratch}");
                }
            }

            return 0;
        });
        return command;
    }

    private static BenchCallEvent Event(string call, int seq) =>
        new(call, seq, "agent-" + (seq % 40), "sales", DateTimeOffset.UnixEpoch.AddSeconds(seq));

    /// <summary>Batches of 100 events, each to a new stream, from 4 writers.</summary>
    private static async Task AppendBatchedAsync(PostgresEventStore store, int total, CancellationToken ct)
    {
        const int batchSize = 100;
        const int writers = 4;
        var batches = (total + batchSize - 1) / batchSize;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int batch;
            while ((batch = Interlocked.Increment(ref next)) < batches)
            {
                var call = $"call-batch-{batch}";
                var events = new object[batchSize];
                for (var i = 0; i < batchSize; i++)
                {
                    events[i] = Event(call, i);
                }

                await store.AppendAsync("bench", call, "call", ExpectedVersion.NoStream, events, cancellationToken: ct);
            }
        }, ct)));
        BenchOutput.Metric(Suite, "append_batched_events_per_s", batches * batchSize / clock.Elapsed.TotalSeconds, "events/s");
    }

    /// <summary>One event per transaction with an exact expected version; each writer owns a stream.</summary>
    private static async Task AppendSingleAsync(PostgresEventStore store, int writers, TimeSpan duration, CancellationToken ct)
    {
        var appended = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            var call = $"call-single-{writer}";
            var version = 0L;
            while (clock.Elapsed < duration)
            {
                var expected = version == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(version);
                version = (await store.AppendAsync("bench", call, "call", expected, [Event(call, (int)version)], cancellationToken: ct)).NextExpectedVersion;
                Interlocked.Increment(ref appended);
            }
        }, ct)));
        BenchOutput.Metric(Suite, "append_single_events_per_s", appended / clock.Elapsed.TotalSeconds, "events/s");
    }

    /// <summary>
    /// 16 writers race on one stream, each deciding on the version it last read. Every attempt
    /// that did not produce a version must have been refused: expected conflicts = attempts - final version.
    /// </summary>
    private static async Task RaceAsync(PostgresEventStore store, CancellationToken ct)
    {
        const int writers = 16;
        const int attemptsEach = 25;
        var detected = 0;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racing = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            await start.Task;
            for (var attempt = 0; attempt < attemptsEach; attempt++)
            {
                var version = (await store.GetStreamAsync("bench", "race", ct))?.Version ?? 0;
                try
                {
                    var expected = version == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(version);
                    await store.AppendAsync("bench", "race", "race", expected, [Event("race", writer * 1000 + attempt)], cancellationToken: ct);
                }
                catch (WrongExpectedVersionException)
                {
                    Interlocked.Increment(ref detected);
                }
            }
        }, ct)).ToArray();
        start.SetResult();
        await Task.WhenAll(racing);
        var finalVersion = (await store.GetStreamAsync("bench", "race", ct))!.Version;
        BenchOutput.Metric(Suite, "append_conflicts_detected", detected, "conflicts");
        BenchOutput.Metric(Suite, "append_conflicts_expected", writers * attemptsEach - finalVersion, "conflicts");
    }

    /// <summary>
    /// Appends single events at a steady rate while the daemon runs the event-type-counts
    /// projection; lag is from the append's commit (AppendAsync returning) to the projection
    /// batch that contains the event committing.
    /// </summary>
    private static async Task MeasureLagAsync(PostgresEventStore store, int eventsPerSecond, TimeSpan duration, CancellationToken ct)
    {
        // Whichever side sees an event second computes its lag: the daemon may commit the read
        // model before the appending task has even resumed.
        var appendedAt = new ConcurrentDictionary<long, long>();
        var projectedAt = new ConcurrentDictionary<long, long>();
        var lags = new ConcurrentBag<double>();
        await using var daemon = new ProjectionDaemon(store, [new EventTypeCountsProjection()], new ProjectionDaemonOptions { NodeId = "bench" });
        daemon.BatchCommitted += batch =>
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var recorded in batch.Events)
            {
                if (appendedAt.TryRemove(recorded.Position, out var at))
                {
                    lags.Add(Math.Max(0, Stopwatch.GetElapsedTime(at, now).TotalMilliseconds));
                }
                else
                {
                    projectedAt[recorded.Position] = now;
                }
            }
        };
        await daemon.StartAsync(ct);
        var caughtUp = Stopwatch.StartNew();
        while ((await ProjectionDaemon.GetStatusAsync(store.DataSource, ct)).Any(s => s.Lag > 0) || daemon.LeadingProjections.Count == 0)
        {
            await Task.Delay(100, ct);
        }

        BenchOutput.Metric(Suite, "projection_catch_up_s", caughtUp.Elapsed.TotalSeconds, "s");
        const int writers = 4;
        var interval = TimeSpan.FromSeconds(writers / (double)eventsPerSecond);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            var call = $"call-lag-{writer}";
            var version = 0L;
            for (var n = 0; ; n++)
            {
                var due = interval * n + interval / writers * writer;
                if (due >= duration)
                {
                    return;
                }

                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }

                var expected = version == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(version);
                var result = await store.AppendAsync("bench", call, "call", expected, [Event(call, n)], cancellationToken: ct);
                var returned = Stopwatch.GetTimestamp();
                version = result.NextExpectedVersion;
                if (projectedAt.TryRemove(result.LastPosition, out _))
                {
                    lags.Add(0);
                }
                else
                {
                    appendedAt[result.LastPosition] = returned;
                }
            }
        }, ct)));
        var deadline = Stopwatch.StartNew();
        while (appendedAt.Keys.Any(position => !projectedAt.ContainsKey(position)) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, ct);
        }

        await daemon.StopAsync();
        foreach (var (position, at) in appendedAt)
        {
            if (projectedAt.TryRemove(position, out var seen))
            {
                lags.Add(Math.Max(0, Stopwatch.GetElapsedTime(at, seen).TotalMilliseconds));
            }
        }

        var sorted = lags.Order().ToArray();
        BenchOutput.Metric(Suite, "projection_lag_events", sorted.Length, "events");
        BenchOutput.Metric(Suite, "projection_lag_rate_events_per_s", sorted.Length / duration.TotalSeconds, "events/s");
        BenchOutput.Metric(Suite, "projection_lag_p50_ms", BenchOutput.Percentile(sorted, 0.50), "ms");
        BenchOutput.Metric(Suite, "projection_lag_p99_ms", BenchOutput.Percentile(sorted, 0.99), "ms");
        BenchOutput.Metric(Suite, "projection_lag_max_ms", sorted.Length == 0 ? 0 : sorted[^1], "ms");
    }

    private static async Task RebuildAsync(PostgresEventStore store, CancellationToken ct)
    {
        await using var daemon = new ProjectionDaemon(store, [new EventTypeCountsProjection()], new ProjectionDaemonOptions { NodeId = "bench-rebuild" });
        var clock = Stopwatch.StartNew();
        long applied = 0;
        await daemon.RebuildAsync(EventTypeCountsProjection.ProjectionName, new Progress(p => applied = p.EventsApplied), ct);
        var elapsed = clock.Elapsed;
        BenchOutput.Metric(Suite, "rebuild_events", applied, "events");
        BenchOutput.Metric(Suite, "rebuild_events_per_s", applied / elapsed.TotalSeconds, "events/s");
    }

    private static async Task ExecuteOnServerAsync(string connectionString, string sql, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private sealed class Progress(Action<RebuildProgress> report) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => report(value);
    }
}
