using Aicc.Domain.Dialing;
using Aicc.Domain.Dialing.Simulation;

namespace Aicc.Domain.Tests.Dialing;

public sealed class SimulatorTests
{
    private static SimulationScenario Scenario(int agents, double answerRate, double minutes = 90, ulong seed = 7, PacingMode algorithm = PacingMode.Predictive) =>
        SimulationScenario.Default with
        {
            Agents = [new ScheduleStep(0, agents)],
            AnswerRate = [new ScheduleStep(0, answerRate)],
            Minutes = minutes,
            Seed = seed,
            Algorithm = algorithm,
        };

    [Fact]
    public void Same_seed_gives_the_same_figures_and_another_seed_others()
    {
        var first = DialerSimulator.Run(Scenario(10, 0.3, minutes: 45, seed: 42)).ToJson();
        var again = DialerSimulator.Run(Scenario(10, 0.3, minutes: 45, seed: 42)).ToJson();
        var other = DialerSimulator.Run(Scenario(10, 0.3, minutes: 45, seed: 43)).ToJson();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Output_is_one_json_object_with_the_documented_fields()
    {
        var json = DialerSimulator.Run(Scenario(5, 0.3, minutes: 20)).ToJson();
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Equal(["occupancy", "abandon_rate", "calls_placed", "answered", "abandoned", "avg_wait_s", "algorithm"], names);
        Assert.Equal("predictive", document.RootElement.GetProperty("algorithm").GetString());
    }

    [Theory]
    [InlineData(5, 0.6)]
    [InlineData(20, 0.15)]
    [InlineData(20, 0.3)]
    [InlineData(40, 0.6)]
    public void Predictive_keeps_abandonment_under_the_cap(int agents, double answerRate)
    {
        var result = DialerSimulator.Run(Scenario(agents, answerRate));

        Assert.True(result.Answered > 100);
        Assert.True(result.AbandonRate <= 0.03, $"abandon rate {result.AbandonRate}");
    }

    [Fact]
    public void Predictive_keeps_the_cap_when_the_answer_rate_jumps_mid_run()
    {
        var scenario = Scenario(20, 0.15) with { AnswerRate = [new ScheduleStep(0, 0.15), new ScheduleStep(45, 0.6)] };

        var result = DialerSimulator.Run(scenario);

        Assert.True(result.AbandonRate <= 0.03, $"abandon rate {result.AbandonRate}");
    }

    [Fact]
    public void Predictive_keeps_the_cap_when_agents_log_off_mid_run()
    {
        var scenario = Scenario(40, 0.3) with { Agents = [new ScheduleStep(0, 40), new ScheduleStep(45, 8)] };

        var result = DialerSimulator.Run(scenario);

        Assert.True(result.AbandonRate <= 0.03, $"abandon rate {result.AbandonRate}");
    }

    [Fact]
    public void Predictive_keeps_agents_busier_than_progressive_and_progressive_never_abandons()
    {
        var predictive = DialerSimulator.Run(Scenario(20, 0.3));
        var progressive = DialerSimulator.Run(Scenario(20, 0.3, algorithm: PacingMode.Progressive));

        Assert.Equal(0, progressive.Abandoned);
        Assert.InRange(progressive.Occupancy, 0.55, 0.75);
        Assert.True(predictive.Occupancy > progressive.Occupancy + 0.15, $"predictive {predictive.Occupancy}, progressive {progressive.Occupancy}");
        Assert.True(predictive.AverageWaitSeconds < progressive.AverageWaitSeconds);
    }

    [Fact]
    public void Power_dialing_at_a_high_ratio_abandons_more_than_the_cap()
    {
        var result = DialerSimulator.Run(Scenario(20, 0.6, algorithm: PacingMode.Power) with { Ratio = 3 });

        Assert.True(result.AbandonRate > 0.03, $"abandon rate {result.AbandonRate}");
        Assert.Equal("power", result.Algorithm);
    }
}
