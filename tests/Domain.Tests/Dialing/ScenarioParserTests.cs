using Aicc.Domain.Dialing;
using Aicc.Domain.Dialing.Simulation;

namespace Aicc.Domain.Tests.Dialing;

public sealed class ScenarioParserTests
{
    [Fact]
    public void Full_scenario_is_read_field_by_field()
    {
        var (scenario, warnings) = ScenarioParser.Parse("""
            {"agents":[[0,20],[60,5]],"minutes":120,"answer_rate":[[0,0.3],[30,0.6]],
             "ring_s":{"mean":8,"sd":3},"no_answer_timeout_s":20,
             "talk_s":{"dist":"exponential","mean":90},"wrap_s":15,"abandon_cap":0.05,
             "algorithm":"power","ratio":1.5,"seed":99}
            """);

        Assert.Empty(warnings);
        Assert.Equal([new ScheduleStep(0, 20), new ScheduleStep(60, 5)], scenario.Agents.ToArray());
        Assert.Equal(120, scenario.Minutes);
        Assert.Equal(0.6, SimulationScenario.ValueAt(scenario.AnswerRate, 45, 0));
        Assert.Equal(new DurationDistribution(DurationKind.Lognormal, 8, 3), scenario.Ring);
        Assert.Equal(20, scenario.NoAnswerTimeoutSeconds);
        Assert.Equal(DurationKind.Exponential, scenario.Talk.Kind);
        Assert.Equal(90, scenario.Talk.Mean);
        Assert.Equal(new DurationDistribution(DurationKind.Constant, 15, 0), scenario.Wrap);
        Assert.Equal(0.05, scenario.AbandonCap);
        Assert.Equal(PacingMode.Power, scenario.Algorithm);
        Assert.Equal(1.5, scenario.Ratio);
        Assert.Equal(99UL, scenario.Seed);
    }

    [Fact]
    public void Missing_fields_take_the_defaults()
    {
        var (scenario, _) = ScenarioParser.Parse("{}");

        Assert.Equal(SimulationScenario.Default, scenario);
    }

    [Theory]
    [InlineData("""{"agents":-1}""", "agents")]
    [InlineData("""{"agents":2.5}""", "agents")]
    [InlineData("""{"agents":[[0]]}""", "agents[0]")]
    [InlineData("""{"agents":[[10,5],[5,3]]}""", "agents[1]")]
    [InlineData("""{"answer_rate":1.5}""", "answer_rate")]
    [InlineData("""{"answer_rate":"high"}""", "answer_rate")]
    [InlineData("""{"minutes":0}""", "minutes")]
    [InlineData("""{"ring_s":{"sd":3}}""", "ring_s.mean")]
    [InlineData("""{"talk_s":{"dist":"gamma","mean":100}}""", "talk_s.dist")]
    [InlineData("""{"talk_s":{"mean":-5}}""", "talk_s.mean")]
    [InlineData("""{"wrap_s":"ten"}""", "wrap_s")]
    [InlineData("""{"abandon_cap":0}""", "abandon_cap")]
    [InlineData("""{"algorithm":"greedy"}""", "algorithm")]
    [InlineData("""{"ratio":-2}""", "ratio")]
    [InlineData("""{"seed":"abc"}""", "seed")]
    public void A_wrong_value_fails_with_the_field_name(string json, string field)
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioParser.Parse(json));

        Assert.Contains($"'{field}'", error.Message);
    }

    [Fact]
    public void Broken_json_fails_clearly()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioParser.Parse("{\"agents\": "));

        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void Timeout_under_the_legal_minimum_is_raised_with_a_warning()
    {
        var (scenario, warnings) = ScenarioParser.Parse("""{"no_answer_timeout_s":10,"colour":"red"}""");

        Assert.Equal(DialingRules.MinimumRingSeconds, scenario.NoAnswerTimeoutSeconds);
        Assert.Contains(warnings, w => w.Contains("no_answer_timeout_s"));
        Assert.Contains(warnings, w => w.Contains("'colour'"));
    }
}
