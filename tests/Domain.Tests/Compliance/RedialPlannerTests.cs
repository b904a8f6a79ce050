using System.Collections.Immutable;
using Aicc.Domain.Compliance;

namespace Aicc.Domain.Tests.Compliance;

public sealed class RedialPlannerTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    // Monday 10:00 in Shanghai.
    private static readonly DateTimeOffset Ended = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(8));

    private static RedialPlan Plan(DialOutcome outcome, int attempts, DateTimeOffset? ended = null) =>
        RedialPlanner.Plan(RedialPolicy.Default, outcome, attempts, ended ?? Ended, CallingWindows.OfficeHours, Shanghai);

    [Fact]
    public void Busy_is_redialed_after_its_delay() =>
        Assert.Equal(new RedialPlan.Redial(Ended.AddMinutes(10), 2), Plan(DialOutcome.Busy, 1));

    [Fact]
    public void No_answer_after_its_maximum_attempts_is_done()
    {
        var done = Assert.IsType<RedialPlan.Done>(Plan(DialOutcome.NoAnswer, 3));

        Assert.Contains("3 of 3", done.Reason);
    }

    [Fact]
    public void Connected_calls_are_not_redialed() =>
        Assert.IsType<RedialPlan.Done>(Plan(DialOutcome.Connected, 1));

    [Fact]
    public void An_outcome_without_a_rule_is_not_redialed()
    {
        var policy = new RedialPolicy(ImmutableDictionary<DialOutcome, RedialRule>.Empty.Add(DialOutcome.Busy, new RedialRule(TimeSpan.FromMinutes(5), 2)));

        Assert.IsType<RedialPlan.Done>(RedialPlanner.Plan(policy, DialOutcome.Failed, 1, Ended, [], Shanghai));
    }

    [Fact]
    public void A_redial_falling_outside_the_window_moves_to_the_next_opening()
    {
        // Friday 17:45 + 30 min no-answer delay = 18:15, closed; next opening Monday 9:00.
        var fridayEvening = new DateTimeOffset(2026, 3, 6, 17, 45, 0, TimeSpan.FromHours(8));

        Assert.Equal(new RedialPlan.Redial(new DateTimeOffset(2026, 3, 9, 9, 0, 0, TimeSpan.FromHours(8)), 2), Plan(DialOutcome.NoAnswer, 1, fridayEvening));
    }
}
