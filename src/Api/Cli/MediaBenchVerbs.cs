using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Aicc.Telephony.Media;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc bench media</c>: how many concurrent G.711 calls the media engine carries on this
/// machine with loss within 0.1%, its CPU share and packet rate, measured in-process over
/// loopback with the engine's own lean load generator (sipp cannot produce this load here).
/// Prints JSON lines {suite, metric, value, unit}; progress goes to stderr.
/// </summary>
public static class MediaBenchVerbs
{
    public static Command Build()
    {
        var levels = new Option<string>("--levels")
        {
            Description = "Comma-separated concurrent call counts to ramp through",
            DefaultValueFactory = _ => "100,250,500,750,1000,1250,1500,2000",
        };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per level", DefaultValueFactory = _ => 8 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds before measuring each level", DefaultValueFactory = _ => 2 };
        var mode = new Option<string>("--mode") { Description = "echo (legs echo what they receive) or playback (legs play a tone)", DefaultValueFactory = _ => "echo" };
        var maxLoss = new Option<double>("--max-loss") { Description = "Loss percent a level may show and still pass", DefaultValueFactory = _ => 0.1 };
        var workers = new Option<int>("--clock-workers") { Description = "Media clock threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("media", "Concurrent RTP calls with loss <= 0.1%, CPU and packets/s (JSON lines).")
        {
            levels, seconds, warmup, mode, maxLoss, workers,
        };
        command.SetAction(async (parse, ct) =>
        {
            var echo = parse.GetValue(mode) switch
            {
                "echo" => true,
                "playback" => false,
                var other => throw new CliException($"--mode must be echo or playback, not '{other}'"),
            };
            var options = new MediaBenchOptions
            {
                Levels = ParseLevels(parse.GetValue(levels)!),
                Measure = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                Warmup = TimeSpan.FromSeconds(parse.GetValue(warmup)),
                MaxLossPercent = parse.GetValue(maxLoss),
                Echo = echo,
                ClockWorkers = Math.Max(1, parse.GetValue(workers)),
            };
            MediaBenchLevel? best = null;
            await using var bench = new MediaLoadBench(options);
            await foreach (var level in bench.RunAsync(ct))
            {
                var prefix = $"level.calls_{level.Calls}";
                Emit($"{prefix}.loss_percent", level.LossPercent, "percent");
                Emit($"{prefix}.cpu_percent", level.EngineCpuPercent, "percent");
                Emit($"{prefix}.packets_per_s", level.EnginePacketsPerSecond, "packets/s");
                Console.Error.WriteLine(
                    $"[bench media] {level.Calls} calls: loss {level.LossPercent:F3}%, engine cpu {level.EngineCpuPercent:F1}%, " +
                    $"generator cpu {level.GeneratorCpuPercent:F1}%, {level.EnginePacketsPerSecond:F0} pkt/s, " +
                    $"{level.EngineCpuMicrosecondsPerPacket:F1} us/pkt, clock load {level.ClockLoad:P0}, " +
                    $"skipped ticks {level.SkippedTicks}, generator late {level.GeneratorLateTicks}, " +
                    $"lost to/discarded by/lost from engine {level.LostTowardsEngine}/{level.DiscardedByEngine}/{level.LostFromEngine}: " +
                    $"machine load average {LoadAverage()}: " +
                    (level.Passed ? "pass" : "FAIL"));
                if (level.Passed)
                {
                    best = level;
                }
            }
            Emit("concurrent_calls_with_rtp", best?.Calls ?? 0, "calls");
            Emit("cpu_percent", best?.EngineCpuPercent ?? 0, "percent");
            Emit("packets_per_s", best?.EnginePacketsPerSecond ?? 0, "packets/s");
            Emit("cpu_us_per_packet", best?.EngineCpuMicrosecondsPerPacket ?? 0, "us");
            Emit("generator_cpu_percent", best?.GeneratorCpuPercent ?? 0, "percent");
            return 0;
        });
        return command;
    }

    // Other processes starving the clock look like engine loss; the load average says which.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static IReadOnlyList<int> ParseLevels(string text)
    {
        var levels = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var calls) || calls < 1)
            {
                throw new CliException($"--levels: '{part}' is not a positive call count");
            }
            levels.Add(calls);
        }
        if (levels.Count == 0)
        {
            throw new CliException("--levels: give at least one call count");
        }
        return levels.Order().ToList();
    }

    private static void Emit(string metric, double value, string unit) =>
        Console.WriteLine(JsonSerializer.Serialize(new { suite = "media", metric, value = Math.Round(value, 3), unit }));
}
