using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Aicc.Api.Cli;
using Aicc.Api.Hosting;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Switchboard;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;
using Npgsql;

namespace Aicc.Api.Bench;

/// <summary>
/// <c>aicc bench acd</c>: the automatic call distributor under load over real SIP on loopback.
/// Three SIP nodes of ours: customers calling in, the platform (answers, queues, bridges) and a
/// node standing in for the agents' phones (reached as an edge proxy; it answers every ring).
/// Calls arrive at a steady rate for one skill group served by N ready agents; each talks for a
/// while and the customer hangs up. Reports queue-to-bridge latency and how many calls got an agent.
/// </summary>
public static class AcdBench
{
    private const string Suite = "acd";

    public static Command Build()
    {
        var connection = CliOptions.Connection();
        var agents = new Option<int>("--agents") { Description = "Ready agents in the skill group", DefaultValueFactory = _ => 20 };
        var calls = new Option<int>("--calls") { Description = "Calls to queue", DefaultValueFactory = _ => 200 };
        var rate = new Option<int>("--rate") { Description = "Calls arriving per second", DefaultValueFactory = _ => 20 };
        var talkMs = new Option<int>("--talk-ms") { Description = "How long each connected call lasts", DefaultValueFactory = _ => 500 };
        var command = new Command("acd", "Automatic call distributor benchmark (queue to bridged latency over real SIP).") { connection, agents, calls, rate, talkMs };
        command.SetAction(async (parse, ct) =>
        {
            var server = CliOptions.ResolveConnection(parse.GetValue(connection));
            var scratch = "aicc_bench_" + Guid.NewGuid().ToString("N")[..10];
            await ExecuteOnServerAsync(server, $"create database {scratch}", ct);
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(server) { Database = scratch, ApplicationName = "aicc-bench-acd", MaxPoolSize = 80 };
                await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
                await Database.MigrateAsync(dataSource, ct);
                await RunAsync(Platform.CreateEventStore(dataSource), parse.GetValue(agents), parse.GetValue(calls), parse.GetValue(rate), TimeSpan.FromMilliseconds(parse.GetValue(talkMs)), ct);
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

    private static async Task RunAsync(PostgresEventStore store, int agentCount, int callCount, int rate, TimeSpan talk, CancellationToken cancellationToken)
    {
        using var clock = new MediaClock();
        await using var platform = Node.Start(clock, "aicc");
        await using var phones = Node.Start(clock, "agents");
        await using var customers = Node.Start(clock, "customers");
        await using var hub = new CallEventHub(platform.Control);
        await using var phoneHub = new CallEventHub(phones.Control);
        await using var queue = new AgentQueue(store, hub, new EdgeProxyAgentPhones(platform.Control, AgentSipDomains.Default, phones.EndPoint), new AgentQueueOptions { AfterCallWork = _ => TimeSpan.Zero });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var answering = Task.Run(async () =>
        {
            try
            {
                await foreach (var ring in phoneHub.Incoming.ReadAllAsync(stop.Token))
                {
                    _ = phones.Control.AnswerAsync(ring.Leg, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var tenantId = Guid.NewGuid();
        var tenant = Deciders.TenantKey(tenantId);
        for (var i = 0; i < agentCount; i++)
        {
            var agentId = Guid.NewGuid();
            var now = DateTimeOffset.UtcNow;
            foreach (AgentCommand c in new AgentCommand[]
            {
                new AgentCommand.Create(agentId, tenantId, Guid.NewGuid(), $"agent {i}", ValueList<string>.Empty.Add("bench"), now),
                new AgentCommand.SetSipCredentials(agentId, $"a{i}", "unused", now),
                new AgentCommand.LogIn(agentId, now),
            })
            {
                await CommandRunner.RunAsync(store, Deciders.Agent, tenant, Deciders.Agent.StreamId(agentId), c, cancellationToken: cancellationToken);
            }
        }

        var arrivals = new ConcurrentDictionary<string, TaskCompletionSource<CallLegId>>();
        var platformAnswering = Task.Run(async () =>
        {
            try
            {
                await foreach (var incoming in hub.Incoming.ReadAllAsync(stop.Token))
                {
                    await platform.Control.AnswerAsync(incoming.Leg, stop.Token);
                    arrivals.GetOrAdd(incoming.Caller, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(incoming.Leg);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var latencies = new ConcurrentBag<double>();
        var outcomes = new ConcurrentDictionary<QueueOutcome, int>();
        var started = Stopwatch.StartNew();
        var callTasks = new List<Task>();
        for (var i = 0; i < callCount; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > started.Elapsed)
            {
                await Task.Delay(due - started.Elapsed, cancellationToken);
            }

            var number = $"86139{i:000000}";
            callTasks.Add(Task.Run(async () =>
            {
                var arrived = arrivals.GetOrAdd(number, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
                var customerLeg = await customers.Control.OriginateAsync(new OriginateRequest("4000", platform.EndPoint, number), cancellationToken);
                var leg = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                var callId = Guid.NewGuid();
                var now = DateTimeOffset.UtcNow;
                await CommandRunner.RunAsync(store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), new CallCommand.ReceiveInbound(callId, tenantId, Guid.NewGuid(), number, "4000", now), cancellationToken: cancellationToken);
                await CommandRunner.RunAsync(store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), new CallCommand.Answer(callId, now), cancellationToken: cancellationToken);
                var waited = Stopwatch.StartNew();
                var outcome = await queue.ConnectToAgentAsync(
                    new QueuedCall(tenantId, callId, leg, "bench", number, null, new Dictionary<string, string>(), null, DateTimeOffset.UtcNow),
                    TimeSpan.FromSeconds(60),
                    cancellationToken);
                outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                if (outcome == QueueOutcome.Connected)
                {
                    latencies.Add(waited.Elapsed.TotalMilliseconds);
                    await Task.Delay(talk, cancellationToken);
                }

                await customers.Control.HangUpAsync(customerLeg);
            }, cancellationToken));
        }

        await Task.WhenAll(callTasks);
        var elapsed = started.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(answering, platformAnswering);

        var sorted = latencies.Order().ToArray();
        double Percentile(double p) => BenchOutput.Percentile(sorted, p);
        BenchOutput.Metric(Suite, "calls", callCount, "calls");
        BenchOutput.Metric(Suite, "agents", agentCount, "agents");
        BenchOutput.Metric(Suite, "connected", outcomes.GetValueOrDefault(QueueOutcome.Connected), "calls");
        BenchOutput.Metric(Suite, "timed_out", outcomes.GetValueOrDefault(QueueOutcome.TimedOut), "calls");
        BenchOutput.Metric(Suite, "queue_to_bridged_p50_ms", Percentile(0.50), "ms");
        BenchOutput.Metric(Suite, "queue_to_bridged_p95_ms", Percentile(0.95), "ms");
        BenchOutput.Metric(Suite, "queue_to_bridged_max_ms", sorted.LastOrDefault(), "ms");
        BenchOutput.Metric(Suite, "connected_per_second", outcomes.GetValueOrDefault(QueueOutcome.Connected) / elapsed.TotalSeconds, "calls/s");
    }

    private static async Task ExecuteOnServerAsync(string server, string sql, CancellationToken cancellationToken)
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        await admin.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One SIP node of ours on a loopback port with call control on top.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly SipStack _stack;

        private Node(SipStack stack, SipCallControl control)
        {
            _stack = stack;
            Control = control;
        }

        public SipCallControl Control { get; }

        public IPEndPoint EndPoint => _stack.UdpEndPoints[0];

        public static Node Start(MediaClock clock, string user)
        {
            var stack = SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });
            var uas = SipUserAgentServer.On(stack, TimeProvider.System, registrar: new SipRegistrar(TimeProvider.System), user: user);
            return new Node(stack, new SipCallControl(uas, clock, new SipCallControlOptions { MediaAddress = IPAddress.Loopback }));
        }

        public async ValueTask DisposeAsync()
        {
            await Control.DisposeAsync();
            await _stack.DisposeAsync();
        }
    }
}
