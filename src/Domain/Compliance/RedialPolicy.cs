using System.Collections.Immutable;

namespace Aicc.Domain.Compliance;

/// <summary>How a dial attempt ended, as far as redialing is concerned.</summary>
public enum DialOutcome
{
    Connected,
    Busy,
    NoAnswer,
    Failed,
    Abandoned,
}

/// <summary>For one outcome: wait this long, and stop after this many attempts in total.</summary>
public sealed record RedialRule(TimeSpan Delay, int MaxAttempts);

/// <summary>A task's redial rules per outcome; an outcome without a rule is never redialed.</summary>
public sealed record RedialPolicy(ImmutableDictionary<DialOutcome, RedialRule> Rules)
{
    /// <summary>The task's default retry rules (<see cref="Tasks.RetryPolicy.Default"/>), so the two can never disagree.</summary>
    public static RedialPolicy Default => Dialing.TaskDialingRules.Redials(Tasks.RetryPolicy.Default);
}

/// <summary>What to do with a number after an attempt.</summary>
public abstract record RedialPlan
{
    private RedialPlan()
    {
    }

    /// <summary>Dial again at <paramref name="At"/> (already moved into the callee's calling window) as attempt <paramref name="Attempt"/>.</summary>
    public sealed record Redial(DateTimeOffset At, int Attempt) : RedialPlan;

    /// <summary>No more attempts, and why.</summary>
    public sealed record Done(string Reason) : RedialPlan;
}

/// <summary>
/// Plans the next attempt for a number after an outcome: the outcome's delay, at most its number
/// of attempts, and never outside the callee's calling window. The scheduler stores the plan
/// durably so a restart neither loses nor doubles it.
/// </summary>
public static class RedialPlanner
{
    public static RedialPlan Plan(
        RedialPolicy policy,
        DialOutcome outcome,
        int attemptsMade,
        DateTimeOffset endedAt,
        ImmutableArray<CallingWindow> windows,
        TimeZoneInfo calleeZone)
    {
        if (outcome == DialOutcome.Connected)
        {
            return new RedialPlan.Done("connected");
        }

        if (!policy.Rules.TryGetValue(outcome, out var rule))
        {
            return new RedialPlan.Done($"no redial rule for {outcome}");
        }

        if (attemptsMade >= rule.MaxAttempts)
        {
            return new RedialPlan.Done($"{attemptsMade} of {rule.MaxAttempts} attempts made ({outcome})");
        }

        var at = CallingWindows.NextOpening(windows, calleeZone, endedAt + rule.Delay);
        return at is null
            ? new RedialPlan.Done("no calling window open in the next two weeks")
            : new RedialPlan.Redial(at.Value, attemptsMade + 1);
    }
}
