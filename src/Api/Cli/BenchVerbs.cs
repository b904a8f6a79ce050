using System.CommandLine;
using Aicc.Api.Bench;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc bench SUITE</c>: benchmarks that print one JSON object per line
/// (<c>{"suite":S,"metric":M,"value":N,"unit":U}</c>) for CI and for the issue notes.
/// Each suite lives in src/Api/Bench and adds one subcommand here.
/// </summary>
public static class BenchVerbs
{
    public static Command Build()
    {
        var bench = new Command("bench", "Run a benchmark suite; prints JSON lines.");
        bench.Add(EventStoreBench.Build());
        bench.Add(DialerVerbs.BuildBench());
        bench.Add(MediaBenchVerbs.Build());
        bench.Add(IntentVerbs.BuildBench());
        bench.Add(SipVerbs.BuildBench("sip"));
        bench.Add(RobotBenchVerbs.Build());
        bench.Add(AcdBench.Build());
        bench.Add(WallboardBench.Build());
        bench.Add(LineBench.Build());
        return bench;
    }
}
