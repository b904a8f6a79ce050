using Aicc.Domain.Calls;
using Aicc.Domain.Compliance;
using Aicc.Domain.Dialing;
using Aicc.Domain.Tasks;
using TaskWindow = Aicc.Domain.Tasks.CallingWindow;

namespace Aicc.Domain.Tests.Dialing;

/// <summary>The task's stored settings are the one source; the dialer's types are converted from them.</summary>
public sealed class TaskDialingRulesTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void TheTasksRetryRulesBecomeTheRedialPolicyOutcomeForOutcome()
    {
        var retry = new RetryPolicy(new RetryRule(TimeSpan.FromMinutes(1), 4), new RetryRule(TimeSpan.FromMinutes(2), 3), new RetryRule(TimeSpan.FromMinutes(3), 2), new RetryRule(TimeSpan.FromMinutes(4), 1));

        var policy = TaskDialingRules.Redials(retry);

        Assert.Equal(new RedialRule(TimeSpan.FromMinutes(1), 4), policy.Rules[DialOutcome.Busy]);
        Assert.Equal(new RedialRule(TimeSpan.FromMinutes(2), 3), policy.Rules[DialOutcome.NoAnswer]);
        Assert.Equal(new RedialRule(TimeSpan.FromMinutes(3), 2), policy.Rules[DialOutcome.Failed]);
        Assert.Equal(new RedialRule(TimeSpan.FromMinutes(4), 1), policy.Rules[DialOutcome.Abandoned]);
        Assert.False(policy.Rules.ContainsKey(DialOutcome.Connected));
    }

    [Fact]
    public void TheRedialPolicyDefaultIsTheTasksDefault()
    {
        foreach (var (outcome, rule) in new[]
        {
            (DialOutcome.Busy, RetryPolicy.Default.Busy), (DialOutcome.NoAnswer, RetryPolicy.Default.NoAnswer),
            (DialOutcome.Failed, RetryPolicy.Default.Failed), (DialOutcome.Abandoned, RetryPolicy.Default.Abandoned),
        })
        {
            Assert.Equal(new RedialRule(rule.Delay, rule.MaxAttempts), RedialPolicy.Default.Rules[outcome]);
        }
    }

    [Fact]
    public void TheTasksDailyWindowsHoldOnEveryDayInTheCalleesZone()
    {
        var windows = TaskDialingRules.Windows(TaskWindow.Default);
        // Sunday 10:30 and 13:00 in Shanghai.
        var sundayMorning = new DateTimeOffset(2026, 3, 8, 10, 30, 0, TimeSpan.FromHours(8));
        var sundayLunch = new DateTimeOffset(2026, 3, 8, 13, 0, 0, TimeSpan.FromHours(8));

        Assert.True(CallingWindows.IsOpen(windows, Shanghai, sundayMorning));
        Assert.False(CallingWindows.IsOpen(windows, Shanghai, sundayLunch));
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 14, 0, 0, TimeSpan.FromHours(8)), CallingWindows.NextOpening(windows, Shanghai, sundayLunch));
    }

    [Theory]
    [InlineData(TaskPacingMode.Progressive, PacingMode.Progressive)]
    [InlineData(TaskPacingMode.Power, PacingMode.Power)]
    [InlineData(TaskPacingMode.Predictive, PacingMode.Predictive)]
    [InlineData(TaskPacingMode.Agentless, PacingMode.Agentless)]
    public void TheTasksPacingBecomesThePacersSettings(TaskPacingMode mode, PacingMode expected)
    {
        var settings = TaskDialingRules.Pacing(new TaskPacing(mode, mode == TaskPacingMode.Power ? 2.5m : null, 0.02m), 30);

        Assert.Equal((expected, 0.02, 30), (settings.Mode, settings.AbandonCap, settings.MaxCallsPerMinute));
        Assert.Equal(mode == TaskPacingMode.Power ? 2.5 : 2.0, settings.PowerRatio);
    }

    [Theory]
    [InlineData(CallOutcome.Answered, DialOutcome.Connected)]
    [InlineData(CallOutcome.Abandoned, DialOutcome.Abandoned)]
    [InlineData(CallOutcome.Busy, DialOutcome.Busy)]
    [InlineData(CallOutcome.NoAnswer, DialOutcome.NoAnswer)]
    [InlineData(CallOutcome.Failed, DialOutcome.Failed)]
    [InlineData(CallOutcome.Cancelled, DialOutcome.Failed)]
    public void ACallsOutcomeMapsToItsRedialOutcome(CallOutcome outcome, DialOutcome expected) =>
        Assert.Equal(expected, TaskDialingRules.Outcome(outcome));
}
