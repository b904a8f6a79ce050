using Aicc.Telephony.Media;

namespace Aicc.Telephony.Tests.Media;

public sealed class MediaLoadBenchTests
{
    [Fact]
    public async Task TheBenchMeasuresEchoTrafficOfEveryCallBothWays()
    {
        var options = new MediaBenchOptions
        {
            Levels = [4],
            Warmup = TimeSpan.FromMilliseconds(500),
            Measure = TimeSpan.FromSeconds(1.5),
            ClockWorkers = 1,
            GeneratorSockets = 2,
        };
        await using var bench = new MediaLoadBench(options);

        var levels = new List<MediaBenchLevel>();
        await foreach (var level in bench.RunAsync())
        {
            levels.Add(level);
        }

        var measured = Assert.Single(levels);
        Assert.Equal(4, measured.Calls);
        // 4 legs each receive and send 50 packets/s.
        Assert.InRange(measured.EnginePacketsPerSecond, 250, 550);
        // Loss itself depends on how busy the machine is (a stalled thread sheds frames); the
        // accounting must still add up: every lost or discarded packet is in the percentage.
        var counted = measured.LostTowardsEngine + measured.DiscardedByEngine + measured.LostFromEngine;
        Assert.True(measured.LossPercent is >= 0 and < 50, measured.ToString());
        Assert.Equal(counted == 0, measured.LossPercent == 0);
        Assert.True(measured.EngineCpuPercent > 0);
    }
}
