using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Aicc.Domain.Dialing;
using Aicc.Domain.Dialing.Simulation;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc dialer simulate</c> and <c>aicc bench dialer</c>: run the real pacing code in the
/// seeded campaign simulator, offline (no database).
/// </summary>
public static class DialerVerbs
{
    public static Command Build()
    {
        var file = new Argument<FileInfo>("scenario") { Description = "Scenario JSON file (agents, minutes, answer_rate, ring_s, no_answer_timeout_s, talk_s, wrap_s, abandon_cap, algorithm, ratio, seed)" };
        var simulate = new Command("simulate", "Simulate a campaign with the real pacing code and print one JSON object (avg_wait_s = agents' idle seconds per connected call).") { file };
        simulate.SetAction((parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliException($"scenario file not found: {path.FullName}");
            }

            var scenario = Parse(File.ReadAllText(path.FullName));
            Console.WriteLine(DialerSimulator.Run(scenario).ToJson());
            return Task.FromResult(0);
        });
        return new Command("dialer", "Predictive dialer tools.") { simulate, BuildRun() };
    }

    /// <summary>
    /// <c>aicc dialer run</c>: a dialer node without the HTTP host. It carries its own SIP call
    /// control and dials every running task of every tenant (one dialer per task across all
    /// nodes, by the task's advisory lock), until stopped or killed.
    /// </summary>
    private static Command BuildRun()
    {
        var connection = CliOptions.Connection();
        var sip = new Option<int>("--sip") { Description = "UDP port of this node's SIP call control (0: any free port)", DefaultValueFactory = _ => 0 };
        var address = new Option<string>("--address") { Description = "Address SIP and RTP bind to and announce", DefaultValueFactory = _ => "127.0.0.1" };
        var ring = new Option<double>("--ring-timeout") { Description = "Seconds an unanswered call rings before it is a no-answer", DefaultValueFactory = _ => 30 };
        var run = new Command("run", "Dial every running task from this process (a dialer node) until stopped.") { connection, sip, address, ring };
        run.SetAction(async (parse, ct) =>
        {
            if (!System.Net.IPAddress.TryParse(parse.GetValue(address), out var ip))
            {
                throw new CliException($"--address '{parse.GetValue(address)}' is not an IP address");
            }

            Serilog.Log.Logger = Hosting.Logging.Create();
            using var loggers = new Serilog.Extensions.Logging.SerilogLoggerFactory(Serilog.Log.Logger);
            var dataSource = Hosting.Database.Open(CliOptions.ResolveConnection(parse.GetValue(connection)));
            await Hosting.Database.MigrateAsync(dataSource, ct);
            var store = Hosting.Platform.CreateEventStore(dataSource, loggers);
            using var clock = new Aicc.Telephony.Media.MediaClock();
            await using var stack = Aicc.Telephony.Sip.SipStack.Start(new Aicc.Telephony.Sip.Transport.SipTransportOptions { Udp = [new System.Net.IPEndPoint(ip, parse.GetValue(sip))] });
            var uas = Aicc.Telephony.Sip.UserAgents.SipUserAgentServer.On(stack, TimeProvider.System);
            await using var control = new Aicc.Telephony.CallControl.SipCallControl(uas, clock, new Aicc.Telephony.CallControl.SipCallControlOptions { MediaAddress = ip });
            await using var hub = new Aicc.Handlers.CallControl.CallEventHub(control);
            var service = new Aicc.Handlers.Dialing.DialerService(store, hub,
                new Aicc.Handlers.Dialing.DialerServiceOptions { RingTimeout = TimeSpan.FromSeconds(parse.GetValue(ring)) }, loggerFactory: loggers);
            await service.StartAsync(ct);
            Serilog.Log.Information("Dialer node running (SIP {Contact}); Ctrl-C stops it", uas.ContactUri);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }

            await service.StopAsync(CancellationToken.None);
            return 0;
        });
        return run;
    }

    /// <summary>The <c>dialer</c> suite of <c>aicc bench</c>.</summary>
    public static Command BuildBench()
    {
        var hours = new Option<double>("--hours") { Description = "Simulated hours per run", DefaultValueFactory = _ => 8 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every run", DefaultValueFactory = _ => 1 };
        var command = new Command("dialer", "Pacing figures over the agents x answer-rate grid and abrupt-change scenarios (JSON lines).") { hours, seed };
        command.SetAction((parse, ct) =>
        {
            foreach (var (name, scenario) in BenchScenarios(parse.GetValue(hours), parse.GetValue(seed)))
            {
                ct.ThrowIfCancellationRequested();
                var watch = Stopwatch.StartNew();
                var result = DialerSimulator.Run(scenario);
                var prefix = $"{result.Algorithm}.{name}";
                Emit(prefix + ".occupancy", result.Occupancy, "ratio");
                Emit(prefix + ".abandon_rate", result.AbandonRate, "ratio");
                Emit(prefix + ".answered", result.Answered, "calls");
                Emit(prefix + ".abandoned", result.Abandoned, "calls");
                Emit(prefix + ".avg_wait_s", result.AverageWaitSeconds, "s");
                Emit(prefix + ".run_time", watch.Elapsed.TotalMilliseconds, "ms");
            }

            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The issue's grid (talk lognormal 120/60 s, wrap 10 s) plus abrupt changes mid-run.</summary>
    public static IEnumerable<(string Name, SimulationScenario Scenario)> BenchScenarios(double hours, ulong seed)
    {
        var minutes = hours * 60;
        var baseline = SimulationScenario.Default with { Minutes = minutes, Seed = seed };
        foreach (var algorithm in new[] { PacingMode.Predictive, PacingMode.Progressive })
        {
            foreach (var agents in new[] { 5, 20, 100 })
            {
                foreach (var rate in new[] { 0.15, 0.3, 0.6 })
                {
                    yield return ($"agents{agents}.answer{Text(rate)}", baseline with
                    {
                        Algorithm = algorithm,
                        Agents = [new ScheduleStep(0, agents)],
                        AnswerRate = [new ScheduleStep(0, rate)],
                    });
                }
            }
        }

        var half = minutes / 2;
        var changes = new (string, double[][], double[][])[]
        {
            ("answer0.15to0.6.agents20", [[0, 20]], [[0, 0.15], [half, 0.6]]),
            ("answer0.6to0.15.agents20", [[0, 20]], [[0, 0.6], [half, 0.15]]),
            ("answer0.15to0.6.agents100", [[0, 100]], [[0, 0.15], [half, 0.6]]),
            ("agents100to20.answer0.3", [[0, 100], [half, 20]], [[0, 0.3]]),
            ("agents20to5.answer0.3", [[0, 20], [half, 5]], [[0, 0.3]]),
            ("agents5to100.answer0.15", [[0, 5], [half, 100]], [[0, 0.15]]),
            ("agents20to100to20.answer0.6", [[0, 20], [minutes / 3, 100], [2 * minutes / 3, 20]], [[0, 0.6]]),
        };
        foreach (var (name, agents, rates) in changes)
        {
            yield return ($"change.{name}", baseline with
            {
                Agents = [.. agents.Select(a => new ScheduleStep(a[0], a[1]))],
                AnswerRate = [.. rates.Select(r => new ScheduleStep(r[0], r[1]))],
            });
        }
    }

    private static SimulationScenario Parse(string json)
    {
        try
        {
            var (scenario, warnings) = ScenarioParser.Parse(json);
            foreach (var warning in warnings)
            {
                Console.Error.WriteLine($"aicc: warning: {warning}");
            }

            return scenario;
        }
        catch (ScenarioException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    private static void Emit(string metric, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"suite\":\"dialer\",\"metric\":\"{metric}\",\"value\":{Math.Round(value, 6)},\"unit\":\"{unit}\"}}"));

    private static string Text(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
