using System.Collections.Immutable;

namespace Aicc.Domain.Dialing.Simulation;

/// <summary>A value that changes at given minutes of a simulated run (agents logged in, answer rate).</summary>
/// <param name="Minute">From this minute on...</param>
/// <param name="Value">...this value holds.</param>
public sealed record ScheduleStep(double Minute, double Value);

/// <summary>How a simulated duration is drawn.</summary>
public enum DurationKind
{
    Constant,
    Exponential,
    Lognormal,
}

/// <summary>A duration distribution of the scenario (talk, wrap-up, ring).</summary>
public sealed record DurationDistribution(DurationKind Kind, double Mean, double Sd)
{
    public double Draw(SeededRandom random) => Kind switch
    {
        DurationKind.Constant => Mean,
        DurationKind.Exponential => random.NextExponential(Mean),
        _ => random.NextLognormal(Mean, Sd),
    };
}

/// <summary>
/// One simulated campaign: who is logged in when, how callees behave, and which pacing runs.
/// Field names follow the scenario JSON of <c>aicc dialer simulate</c>.
/// </summary>
public sealed record SimulationScenario(
    ImmutableArray<ScheduleStep> Agents,
    double Minutes,
    ImmutableArray<ScheduleStep> AnswerRate,
    DurationDistribution Ring,
    double NoAnswerTimeoutSeconds,
    DurationDistribution Talk,
    DurationDistribution Wrap,
    double AbandonCap,
    PacingMode Algorithm,
    double Ratio,
    ulong Seed)
{
    /// <summary>The defaults every missing field takes: the bench's middle cell.</summary>
    public static SimulationScenario Default { get; } = new(
        [new ScheduleStep(0, 20)],
        480,
        [new ScheduleStep(0, 0.3)],
        new DurationDistribution(DurationKind.Lognormal, 10, 5),
        25,
        new DurationDistribution(DurationKind.Lognormal, 120, 60),
        new DurationDistribution(DurationKind.Constant, 10, 0),
        DialingRules.DefaultAbandonCap,
        PacingMode.Predictive,
        2.0,
        1);

    /// <summary>The value of a schedule at a minute: the last step at or before it (the first step before it starts).</summary>
    public static double ValueAt(ImmutableArray<ScheduleStep> schedule, double minute, double beforeFirst)
    {
        var value = beforeFirst;
        foreach (var step in schedule)
        {
            if (step.Minute <= minute)
            {
                value = step.Value;
            }
        }

        return value;
    }
}
