using System.Text.Json.Serialization;
using Aicc.Domain.Common;

namespace Aicc.Domain.Tasks;

/// <summary>Who takes a call once the callee answers (seed 000: a task names its robot and agent seats).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(Robot), "robot")]
[JsonDerivedType(typeof(AgentGroup), "agent_group")]
[JsonDerivedType(typeof(RobotThenAgent), "robot_then_agent")]
public abstract record TaskHandler
{
    private TaskHandler()
    {
    }

    /// <summary>The robot holds the whole conversation.</summary>
    public sealed record Robot(Guid RobotId) : TaskHandler;

    /// <summary>The first ready agent of the skill group takes the call.</summary>
    public sealed record AgentGroup(string SkillGroup) : TaskHandler;

    /// <summary>The robot talks first and hands over to the skill group on a transfer intent (R5).</summary>
    public sealed record RobotThenAgent(Guid RobotId, string SkillGroup) : TaskHandler;

    /// <summary>Calls start with a robot, so no agent needs to be free when the callee answers.</summary>
    public bool StartsWithRobot => this is Robot or RobotThenAgent;
}

/// <summary>How the dialer decides how many calls to have in flight (issue 6 implements each mode).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskPacingMode>))]
public enum TaskPacingMode
{
    /// <summary>One call per ready agent.</summary>
    Progressive = 1,

    /// <summary>A fixed number of calls per ready agent.</summary>
    Power,

    /// <summary>Adaptive: as many calls as keep the abandon rate under the cap.</summary>
    Predictive,

    /// <summary>Robot tasks: bounded by line channels, robot capacity and the rate limit.</summary>
    Agentless,
}

/// <summary>The pacing mode and its knobs; <see cref="AbandonCap"/> is a share of live-answered calls.</summary>
public sealed record TaskPacing(TaskPacingMode Mode, decimal? Ratio, decimal AbandonCap)
{
    /// <summary>3% of live-answered calls: the US regulators' cap, a sensible default elsewhere too.</summary>
    public const decimal DefaultAbandonCap = 0.03m;

    public static TaskPacing Default { get; } = new(TaskPacingMode.Progressive, null, DefaultAbandonCap);
}

/// <summary>
/// A daily time range in the callee's local time (seed 002: calls happen 9-12 and 14-18); the
/// dialer converts with the callee's time zone, which it knows from the number or the customer row.
/// </summary>
public sealed record CallingWindow(TimeOnly Start, TimeOnly End)
{
    public static ValueList<CallingWindow> Default { get; } = ValueList.Of(
        new CallingWindow(new TimeOnly(9, 0), new TimeOnly(12, 0)),
        new CallingWindow(new TimeOnly(14, 0), new TimeOnly(18, 0)));

    /// <summary>Whether a callee's local time falls inside one of the windows (start inclusive, end exclusive).</summary>
    public static bool Allows(IEnumerable<CallingWindow> windows, TimeOnly calleeLocalTime) =>
        windows.Any(window => calleeLocalTime >= window.Start && calleeLocalTime < window.End);
}

/// <summary>When to call again after one outcome, and how many attempts a number gets in total for it.</summary>
public sealed record RetryRule(TimeSpan Delay, int MaxAttempts);

/// <summary>Redial rules per unsuccessful outcome (seed 002's 重播).</summary>
public sealed record RetryPolicy(RetryRule Busy, RetryRule NoAnswer, RetryRule Failed, RetryRule Abandoned)
{
    public static RetryPolicy Default { get; } = new(
        Busy: new RetryRule(TimeSpan.FromMinutes(10), 3),
        NoAnswer: new RetryRule(TimeSpan.FromMinutes(30), 3),
        Failed: new RetryRule(TimeSpan.FromHours(1), 2),
        Abandoned: new RetryRule(TimeSpan.FromMinutes(30), 2));

    /// <summary>
    /// When the next attempt is due after attempt number <paramref name="attempt"/> (1-based) ended
    /// with <paramref name="outcome"/>, or null when the number has had its attempts.
    /// </summary>
    public DateTimeOffset? NextAttemptAt(RetryOutcome outcome, int attempt, DateTimeOffset endedAt)
    {
        var rule = outcome switch
        {
            RetryOutcome.Busy => Busy,
            RetryOutcome.NoAnswer => NoAnswer,
            RetryOutcome.Failed => Failed,
            RetryOutcome.Abandoned => Abandoned,
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not a retryable outcome"),
        };
        return attempt < rule.MaxAttempts ? endedAt + rule.Delay : null;
    }
}

/// <summary>The call outcomes a task may redial after.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RetryOutcome>))]
public enum RetryOutcome
{
    Busy = 1,
    NoAnswer,
    Failed,
    Abandoned,
}
