using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Aicc.Api.Cli;
using Aicc.Api.Hosting;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Tenants.CreatingTenant;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace Aicc.Api.Bench;

/// <summary>
/// <c>aicc bench wallboard</c>: how long a wallboard waits for a call's answer. The real host
/// runs on a scratch database; ringing calls are answered one by one through the command path
/// and each is timed until the floor stream (GET /api/v1/stats/floor/stream) pushes it.
/// </summary>
public static class WallboardBench
{
    private const string Suite = "wallboard";

    public static Command Build()
    {
        var connection = CliOptions.Connection();
        var calls = new Option<int>("--calls") { Description = "Calls answered one after the other", DefaultValueFactory = _ => 50 };
        var streams = new Option<int>("--streams") { Description = "Wallboards of the tenant open at the same time (one is timed)", DefaultValueFactory = _ => 1 };
        var command = new Command("wallboard", "Time from a call's Answered event to the wallboard stream pushing it.") { connection, calls, streams };
        command.SetAction(async (parse, ct) =>
        {
            var server = CliOptions.ResolveConnection(parse.GetValue(connection));
            var scratch = "aicc_bench_" + Guid.NewGuid().ToString("N")[..10];
            await ExecuteOnServerAsync(server, $"create database {scratch}", ct);
            try
            {
                var database = new NpgsqlConnectionStringBuilder(server) { Database = scratch }.ConnectionString;
                await RunAsync(database, parse.GetValue(calls), Math.Max(1, parse.GetValue(streams)), ct);
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

    private static async Task RunAsync(string connectionString, int count, int streams, CancellationToken ct)
    {
        await using var app = await HostApp.BuildAsync(connectionString, "http://127.0.0.1:0", ct);
        await app.StartAsync(ct);
        try
        {
            var store = app.Services.GetRequiredService<PostgresEventStore>();
            var tenant = await CreateTenant.HandleAsync(store, "Wallboard bench", "admin", null, TimeProvider.System, ct);
            var key = Deciders.TenantKey(tenant.TenantId);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = Timeout.InfiniteTimeSpan };
            client.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);

            var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
            var now = DateTimeOffset.UtcNow;
            foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            {
                foreach (var step in new CallCommand[]
                         {
                             new CallCommand.CreateOutbound(id, tenant.TenantId, null, null, PhoneNumber.Parse($"138{i:D8}"), ValueMap.Empty, now),
                             new CallCommand.Dial(id, 1, Guid.NewGuid(), PhoneNumber.Parse("02161234567"), now),
                         })
                {
                    await CommandRunner.RunAsync(store, Deciders.Call, key, Deciders.Call.StreamId(id), step, cancellationToken: ct);
                }
            }

            // The other wallboards read their streams to the end and drop what they get.
            using var others = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var drains = Enumerable.Range(1, streams - 1).Select(_ => Task.Run(async () =>
            {
                using var other = await client.GetAsync("/api/v1/stats/floor/stream", HttpCompletionOption.ResponseHeadersRead, others.Token);
                using var drain = new StreamReader(await other.Content.ReadAsStreamAsync(others.Token));
                while (await drain.ReadLineAsync(others.Token) is not null)
                {
                }
            }, others.Token)).ToList();
            using var response = await client.GetAsync("/api/v1/stats/floor/stream", HttpCompletionOption.ResponseHeadersRead, ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            // The stream's first pushes may predate the last dialed calls; wait until it shows them all.
            var placed = 0;
            while (placed < count)
            {
                placed = (await AnsweredAsync(reader, ct)).Placed;
            }

            var delays = new List<double>();
            for (var i = 0; i < count; i++)
            {
                var watch = Stopwatch.StartNew();
                await CommandRunner.RunAsync(store, Deciders.Call, key, Deciders.Call.StreamId(ids[i]), new CallCommand.Answer(ids[i], DateTimeOffset.UtcNow), cancellationToken: ct);
                var answered = 0;
                while (answered < i + 1)
                {
                    answered = (await AnsweredAsync(reader, ct)).Answered;
                }

                delays.Add(watch.Elapsed.TotalMilliseconds);
            }

            await others.CancelAsync();
            foreach (var drain in drains)
            {
                try
                {
                    await drain;
                }
                catch (OperationCanceledException)
                {
                }
            }

            delays.Sort();
            BenchOutput.Metric(Suite, "streams", streams, "count");
            BenchOutput.Metric(Suite, "answered_to_push_p50", delays[delays.Count / 2], "ms");
            BenchOutput.Metric(Suite, "answered_to_push_p95", delays[(int)Math.Min(delays.Count - 1, Math.Ceiling(delays.Count * 0.95) - 1)], "ms");
            BenchOutput.Metric(Suite, "answered_to_push_max", delays[^1], "ms");
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The tenant's answered and placed calls in the next floor event of the stream.</summary>
    private static async Task<(int Answered, int Placed)> AnsweredAsync(StreamReader reader, CancellationToken ct)
    {
        var data = new StringBuilder();
        string? name = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(ct) ?? throw new InvalidOperationException("The stream ended.");
            if (line.Length == 0)
            {
                if (name == "floor" && data.Length > 0)
                {
                    var totals = JsonDocument.Parse(data.ToString()).RootElement.GetProperty("totals");
                    return (totals.GetProperty("answered").GetInt32(), totals.GetProperty("placed").GetInt32());
                }

                (name, data) = (null, new StringBuilder());
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line["data:".Length..].TrimStart());
            }
        }
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
