using System.Collections.Immutable;
using Aicc.Domain.Dialing;

namespace Aicc.Domain.Tests.Dialing;

public sealed class PacingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static DialerSnapshot Floor(int ready, int talking = 0, double talkElapsed = 30, int[]? ringingAges = null, int waiting = 0, int lines = 1000) =>
        new(
            Now,
            ready,
            [.. Enumerable.Repeat(new BusyAgent(AgentPhase.Talking, talkElapsed), talking)],
            [.. (ringingAges ?? []).Select(a => (double)a)],
            waiting,
            lines);

    /// <summary>Statistics of a task that has seen enough calls: answer rate ~0.3, ring ~10 s, talk ~120 s, wrap 10 s.</summary>
    private static PacingStatistics Learned(PacingSettings settings, double answerRate = 0.3)
    {
        var statistics = PacingStatistics.Initial(settings);
        var start = Now.AddHours(-1);
        for (var i = 0; i < 400; i++)
        {
            var placedAt = start.AddSeconds(i * 5);
            statistics = statistics.CallPlaced(placedAt);
            // A deterministic pattern with the wanted answer share.
            if ((i * answerRate) % 1.0 + answerRate >= 1.0 - 1e-9)
            {
                var ring = 4 + (i % 13);
                statistics = statistics.CallAnswered(placedAt, placedAt.AddSeconds(ring));
            }
            else
            {
                statistics = statistics.CallUnanswered(25);
            }
        }

        for (var i = 0; i < 200; i++)
        {
            statistics = statistics.TalkEnded(60 + (i % 121)).WrapEnded(10);
        }

        return statistics;
    }

    [Fact]
    public void Progressive_dials_one_call_per_ready_agent_not_yet_covered()
    {
        var settings = new PacingSettings(PacingMode.Progressive);
        var statistics = PacingStatistics.Initial(settings);

        Assert.Equal(5, Pacer.Decide(settings, Floor(ready: 5, talking: 10), statistics).CallsToPlace);
        Assert.Equal(2, Pacer.Decide(settings, Floor(ready: 5, ringingAges: [3, 8], waiting: 1), statistics).CallsToPlace);
        Assert.Equal(0, Pacer.Decide(settings, Floor(ready: 0, talking: 20), statistics).CallsToPlace);
    }

    [Fact]
    public void Power_keeps_the_fixed_ratio_of_ringing_calls_per_ready_agent()
    {
        var settings = new PacingSettings(PacingMode.Power, PowerRatio: 2.5);
        var statistics = PacingStatistics.Initial(settings);

        Assert.Equal(10, Pacer.Decide(settings, Floor(ready: 4), statistics).CallsToPlace);
        Assert.Equal(6, Pacer.Decide(settings, Floor(ready: 4, ringingAges: [1, 2, 3, 4]), statistics).CallsToPlace);
        Assert.Equal(0, Pacer.Decide(settings, Floor(ready: 2, ringingAges: [1, 2, 3, 4, 5, 6]), statistics).CallsToPlace);
    }

    [Fact]
    public void Predictive_dials_ahead_of_agents_about_to_finish()
    {
        var settings = new PacingSettings(PacingMode.Predictive);
        var statistics = Learned(settings);
        // Ten agents 8 s into a 10 s wrap-up: all of them are free within seconds.
        var floor = Floor(ready: 2) with { BusyAgents = [.. Enumerable.Repeat(new BusyAgent(AgentPhase.WrappingUp, 8), 10)] };
        var decision = Pacer.Decide(settings, floor, statistics);

        Assert.True(decision.CallsToPlace > 2, $"placed {decision.CallsToPlace}: {decision.Reason}");
        Assert.NotNull(decision.RiskThreshold);
        Assert.True(decision.MarginalRisk <= decision.RiskThreshold);
    }

    [Fact]
    public void Predictive_never_exceeds_free_line_channels()
    {
        var settings = new PacingSettings(PacingMode.Predictive);
        var statistics = Learned(settings);

        var decision = Pacer.Decide(settings, Floor(ready: 20, talking: 30, talkElapsed: 170, lines: 3), statistics);

        Assert.Equal(3, decision.CallsToPlace);
    }

    [Fact]
    public void Every_mode_respects_the_rate_limit()
    {
        foreach (var mode in new[] { PacingMode.Progressive, PacingMode.Power, PacingMode.Predictive })
        {
            var settings = new PacingSettings(mode, MaxCallsPerMinute: 30);
            var snapshot = Floor(ready: 20) with { CallsStartedLastMinute = 28 };

            Assert.Equal(2, Pacer.Decide(settings, snapshot, Learned(settings)).CallsToPlace);
        }
    }

    [Fact]
    public void Predictive_backs_off_when_the_measured_abandon_rate_rises()
    {
        var settings = new PacingSettings(PacingMode.Predictive);
        var calm = Learned(settings);
        var troubled = calm;
        for (var i = 0; i < 100; i++)
        {
            calm = calm.LiveAnswerResolved(Now.AddSeconds(-100 + i), abandoned: false, dialedAhead: true, settings);
            troubled = troubled.LiveAnswerResolved(Now.AddSeconds(-100 + i), abandoned: i % 10 == 0, dialedAhead: true, settings);
        }

        var floor = Floor(ready: 3, talking: 30, talkElapsed: 150);
        var calmDecision = Pacer.Decide(settings, floor, calm);
        var troubledDecision = Pacer.Decide(settings, floor, troubled);

        Assert.True(troubledDecision.RiskThreshold < calmDecision.RiskThreshold / 10);
        Assert.True(troubledDecision.CallsToPlace < calmDecision.CallsToPlace, $"calm {calmDecision.CallsToPlace}, troubled {troubledDecision.CallsToPlace}");
    }

    [Fact]
    public void Predictive_dials_fewer_calls_when_more_calls_are_already_ringing()
    {
        var settings = new PacingSettings(PacingMode.Predictive);
        var statistics = Learned(settings);

        var quiet = Pacer.Decide(settings, Floor(ready: 2, talking: 18, talkElapsed: 160), statistics);
        var busy = Pacer.Decide(settings, Floor(ready: 2, talking: 18, talkElapsed: 160, ringingAges: [1, 1, 2, 2, 3, 3, 4, 4]), statistics);

        Assert.True(busy.CallsToPlace < quiet.CallsToPlace, $"quiet {quiet.CallsToPlace}, busy {busy.CallsToPlace}");
    }

    [Fact]
    public void Predictive_falls_back_to_progressive_below_the_agent_threshold()
    {
        var settings = new PacingSettings(PacingMode.Predictive, PredictiveAgentThreshold: 4);
        var statistics = Learned(settings);

        var decision = Pacer.Decide(settings, Floor(ready: 1, talking: 2, talkElapsed: 170), statistics);

        Assert.Equal(1, decision.CallsToPlace);
        Assert.Contains("progressive", decision.Reason);
    }

    [Fact]
    public void Predictive_is_progressive_until_it_has_observed_enough_calls()
    {
        var settings = new PacingSettings(PacingMode.Predictive);

        var decision = Pacer.Decide(settings, Floor(ready: 4, talking: 30, talkElapsed: 170), PacingStatistics.Initial(settings));

        Assert.Equal(4, decision.CallsToPlace);
        Assert.Contains("warming up", decision.Reason);
    }

    [Fact]
    public void Agentless_is_bounded_by_robots_lines_and_rate()
    {
        var settings = new PacingSettings(PacingMode.Agentless, MaxCallsPerMinute: 100);
        var statistics = PacingStatistics.Initial(settings);
        var snapshot = new DialerSnapshot(Now, 0, [], [1, 2, 3], 0, FreeLineChannels: 50, FreeRobotSlots: 10, CallsStartedLastMinute: 0);

        Assert.Equal(7, Pacer.Decide(settings, snapshot, statistics).CallsToPlace);
        Assert.Equal(4, Pacer.Decide(settings, snapshot with { FreeLineChannels = 4 }, statistics).CallsToPlace);
        Assert.Equal(1, Pacer.Decide(settings, snapshot with { CallsStartedLastMinute = 99 }, statistics).CallsToPlace);
    }

    [Fact]
    public void Answer_rate_estimate_counts_ringing_calls_by_their_elapsed_exposure()
    {
        var ring = Enumerable.Range(0, 100).Aggregate(DurationSample.Empty(100), (s, i) => s.Add(10));
        var estimate = AnswerRateEstimate.Empty;
        // 100 calls placed 30 s ago (fully exposed), 40 answered.
        for (var i = 0; i < 100; i++)
        {
            estimate = estimate.Placed(Now.AddSeconds(-30));
        }

        for (var i = 0; i < 40; i++)
        {
            estimate = estimate.Answered(Now.AddSeconds(-30));
        }

        Assert.Equal(0.4, estimate.Probability(Now, ring), 3);
        // 50 more calls placed 5 s ago cannot have answered yet (every ring is 10 s): no dilution.
        for (var i = 0; i < 50; i++)
        {
            estimate = estimate.Placed(Now.AddSeconds(-5));
        }

        Assert.Equal(0.4, estimate.Probability(Now, ring), 3);
    }

    [Fact]
    public void Answer_rate_estimate_reacts_quickly_to_a_rise()
    {
        var ring = Enumerable.Range(0, 100).Aggregate(DurationSample.Empty(100), (s, i) => s.Add(10));
        var estimate = AnswerRateEstimate.Empty;
        for (var i = 0; i < 400; i++)
        {
            var at = Now.AddSeconds(-600 + i);
            estimate = estimate.Placed(at);
            if (i % 10 == 0)
            {
                estimate = estimate.Answered(at);
            }
        }

        Assert.Equal(0.1, estimate.Probability(Now, ring), 2);
        for (var i = 0; i < 60; i++)
        {
            var at = Now.AddSeconds(-100 + i);
            estimate = estimate.Placed(at);
            if (i % 10 < 7)
            {
                estimate = estimate.Answered(at);
            }
        }

        Assert.True(estimate.Probability(Now, ring) > 0.4);
    }

    [Fact]
    public void Answer_rate_estimate_is_not_diluted_by_a_flood_of_fresh_placements()
    {
        var ring = Enumerable.Range(0, 100).Aggregate(DurationSample.Empty(100), (s, i) => s.Add(10));
        var estimate = AnswerRateEstimate.Empty;
        for (var i = 0; i < 300; i++)
        {
            estimate = estimate.Placed(Now.AddSeconds(-60));
        }

        for (var i = 0; i < 60; i++)
        {
            estimate = estimate.Answered(Now.AddSeconds(-60));
        }

        // A thousand calls placed in the last 5 s, none of which could have answered yet.
        for (var i = 0; i < 1000; i++)
        {
            estimate = estimate.Placed(Now.AddSeconds(-5));
        }

        Assert.Equal(0.2, estimate.Probability(Now, ring), 3);
    }

    [Fact]
    public void Answer_rate_estimate_assumes_everyone_answers_before_anything_could()
    {
        var ring = Enumerable.Range(0, 100).Aggregate(DurationSample.Empty(100), (s, i) => s.Add(10));
        var estimate = Enumerable.Range(0, 50).Aggregate(AnswerRateEstimate.Empty, (e, _) => e.Placed(Now.AddSeconds(-2)));

        Assert.Equal(1, estimate.Probability(Now, ring));
    }

    [Fact]
    public void Only_calls_dialed_ahead_raise_the_abandon_threshold()
    {
        var settings = new PacingSettings(PacingMode.Predictive);
        var start = PacingStatistics.Initial(settings);
        var safe = start;
        var ahead = start;
        for (var i = 0; i < 200; i++)
        {
            safe = safe.LiveAnswerResolved(Now.AddSeconds(i), abandoned: false, dialedAhead: false, settings);
            ahead = ahead.LiveAnswerResolved(Now.AddSeconds(i), abandoned: false, dialedAhead: true, settings);
        }

        Assert.Equal(start.LogRiskThreshold, safe.LogRiskThreshold);
        Assert.True(AbandonController.Threshold(ahead, settings) > AbandonController.Threshold(safe, settings));
        var afterAbandon = safe.LiveAnswerResolved(Now.AddSeconds(300), abandoned: true, dialedAhead: false, settings);
        Assert.True(AbandonController.Threshold(afterAbandon, settings) < AbandonController.Threshold(safe, settings));
    }

    [Fact]
    public void Abandon_ledger_forgets_answers_outside_the_window()
    {
        var window = TimeSpan.FromMinutes(10);
        var ledger = AbandonLedger.Empty
            .Record(Now, true, window)
            .Record(Now.AddMinutes(5), false, window);
        Assert.Equal(0.5, ledger.Rate);

        ledger = ledger.Record(Now.AddMinutes(12), false, window);

        Assert.Equal(2, ledger.Answered);
        Assert.Equal(0, ledger.Abandoned);
    }

    [Fact]
    public void No_answer_timeout_is_raised_to_the_legal_minimum()
    {
        Assert.Equal(15, DialingRules.NoAnswerTimeout(10));
        Assert.Equal(30, DialingRules.NoAnswerTimeout(30));
    }
}
