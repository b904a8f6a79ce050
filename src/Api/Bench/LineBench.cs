using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using Aicc.Api.Cli;
using Aicc.Api.Hosting;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Npgsql;

namespace Aicc.Api.Bench;

/// <summary>
/// <c>aicc bench line</c>: what the channel cap costs on a line several dialers share. Each
/// writer acts as one task's dialer: in one transaction it records an attempt (created, dialing)
/// and seizes a channel on the line's stream, exactly as <c>TaskDialer</c> does before an INVITE;
/// after a short hold it closes the call and releases the channel in another. Reports channel
/// operations per second, how many appends were decided again after a concurrent append, and
/// the transactions' latency, on a scratch database dropped afterwards.
/// </summary>
public static class LineBench
{
    private const string Suite = "line";

    public static Command Build()
    {
        var connection = CliOptions.Connection();
        var writers = new Option<int>("--writers") { Description = "Dialers sharing the line", DefaultValueFactory = _ => 8 };
        var channels = new Option<int>("--channels") { Description = "The line's channel cap", DefaultValueFactory = _ => 30 };
        var seconds = new Option<int>("--seconds") { Description = "Duration", DefaultValueFactory = _ => 10 };
        var holdMs = new Option<int>("--hold-ms") { Description = "How long each call holds its channel", DefaultValueFactory = _ => 20 };
        var command = new Command("line", "Channel seize/release on one line shared by concurrent dialers.") { connection, writers, channels, seconds, holdMs };
        command.SetAction(async (parse, ct) =>
        {
            var server = CliOptions.ResolveConnection(parse.GetValue(connection));
            var scratch = "aicc_bench_" + Guid.NewGuid().ToString("N")[..10];
            await ExecuteOnServerAsync(server, $"create database {scratch}", ct);
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(server) { Database = scratch, ApplicationName = "aicc-bench", MaxPoolSize = 60 };
                await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
                await Database.MigrateAsync(dataSource, ct);
                await RunAsync(Platform.CreateEventStore(dataSource), parse.GetValue(writers), parse.GetValue(channels),
                    TimeSpan.FromSeconds(parse.GetValue(seconds)), TimeSpan.FromMilliseconds(parse.GetValue(holdMs)), ct);
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteOnServerAsync(server, $"drop database if exists {scratch} with (force)", CancellationToken.None);
            }

            return 0;
        });
        return command;
    }

    private static async Task RunAsync(PostgresEventStore store, int writers, int channels, TimeSpan duration, TimeSpan hold, CancellationToken ct)
    {
        var tenantId = Guid.NewGuid();
        var tenant = Deciders.TenantKey(tenantId);
        var lineId = Guid.NewGuid();
        var lineStream = Deciders.Line.StreamId(lineId);
        await CommandRunner.RunAsync(store, Deciders.Line, tenant, lineStream,
            new LineCommand.Create(lineId, tenantId, "bench", new LineConfig("127.0.0.1:5060", LineTransport.Udp, null, CallerIdRules.FromTaskPool, channels), DateTimeOffset.UtcNow),
            cancellationToken: ct);
        var seizeMs = new ConcurrentBag<double>();
        var releaseMs = new ConcurrentBag<double>();
        var full = 0L;
        var conflictsBefore = CommandRunner.AppendConflicts.Count;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(duration);
        var clock = Stopwatch.StartNew();
        var caller = PhoneNumber.Parse("+861058000000");

        async Task WriterAsync(int writer)
        {
            // Each writer keeps its own copy of the line, folded on from its version, as a dialer does.
            var line = (State: Deciders.Line.Initial, Version: 0L);
            var taskId = Guid.NewGuid();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var callId = Guid.CreateVersion7();
                var callStream = Deciders.Call.StreamId(callId);
                var now = DateTimeOffset.UtcNow;
                var started = Stopwatch.GetTimestamp();
                await using (var connection = await store.DataSource.OpenConnectionAsync(CancellationToken.None))
                {
                    await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
                    var session = store.OpenSession(connection, transaction);
                    await CommandRunner.RunAsync(session, store, Deciders.Call, tenant, callStream,
                        new CallCommand.CreateOutbound(callId, tenantId, taskId, Guid.NewGuid(), PhoneNumber.Parse($"+86138{writer:D2}{n % 1000000:D6}"), ValueMap.Empty, now));
                    await CommandRunner.RunAsync(session, store, Deciders.Call, tenant, callStream, new CallCommand.Dial(callId, 1, lineId, caller, now));
                    try
                    {
                        var seized = await CommandRunner.RunFromAsync(session, store, Deciders.Line, tenant, lineStream, line.State, line.Version,
                            new LineCommand.SeizeChannel(lineId, callId, now));
                        await transaction.CommitAsync(CancellationToken.None);
                        line = (seized.State, seized.Version);
                    }
                    catch (Domain.DomainException)
                    {
                        // At the cap: the attempt is not made, as the dialer's next round would wait.
                        await transaction.RollbackAsync(CancellationToken.None);
                        Interlocked.Increment(ref full);
                        await Task.Delay(hold, CancellationToken.None);
                        continue;
                    }
                }

                seizeMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await Task.Delay(hold, CancellationToken.None);
                started = Stopwatch.GetTimestamp();
                await using (var connection = await store.DataSource.OpenConnectionAsync(CancellationToken.None))
                {
                    await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
                    var session = store.OpenSession(connection, transaction);
                    await CommandRunner.RunAsync(session, store, Deciders.Call, tenant, callStream,
                        new CallCommand.HangUp(callId, HangUpParty.Customer, CloseReason.Normal, DateTimeOffset.UtcNow));
                    var released = await CommandRunner.RunFromAsync(session, store, Deciders.Line, tenant, lineStream, line.State, line.Version,
                        new LineCommand.ReleaseChannel(lineId, callId, DateTimeOffset.UtcNow));
                    await transaction.CommitAsync(CancellationToken.None);
                    line = (released.State, released.Version);
                }

                releaseMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriterAsync(w), CancellationToken.None)));
        var elapsed = clock.Elapsed.TotalSeconds;
        var appends = seizeMs.Count + releaseMs.Count;
        var conflicts = CommandRunner.AppendConflicts.Count - conflictsBefore;
        var (state, version) = await CommandRunner.LoadAsync(store, Deciders.Line, tenant, lineStream, ct);
        BenchOutput.Metric(Suite, "writers", writers, "dialers");
        BenchOutput.Metric(Suite, "line_appends_per_second", appends / elapsed, "appends/s");
        BenchOutput.Metric(Suite, "calls_per_second", seizeMs.Count / elapsed, "calls/s");
        BenchOutput.Metric(Suite, "conflicts_per_append", appends == 0 ? 0 : (double)conflicts / appends, "re-decides/append");
        BenchOutput.Metric(Suite, "refused_at_cap", full, "attempts");
        BenchOutput.Metric(Suite, "seize_txn_p50_ms", BenchOutput.Percentile(seizeMs.Order().ToArray(), 0.50), "ms");
        BenchOutput.Metric(Suite, "seize_txn_p99_ms", BenchOutput.Percentile(seizeMs.Order().ToArray(), 0.99), "ms");
        BenchOutput.Metric(Suite, "release_txn_p50_ms", BenchOutput.Percentile(releaseMs.Order().ToArray(), 0.50), "ms");
        BenchOutput.Metric(Suite, "release_txn_p99_ms", BenchOutput.Percentile(releaseMs.Order().ToArray(), 0.99), "ms");
        BenchOutput.Metric(Suite, "line_stream_events", version, "events");
        BenchOutput.Metric(Suite, "channels_left_seized", ((Line.Active)state).ChannelsInUse.Count, "channels");
    }

    private static async Task ExecuteOnServerAsync(string connectionString, string sql, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
