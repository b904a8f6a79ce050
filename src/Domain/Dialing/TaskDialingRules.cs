using System.Collections.Immutable;
using Aicc.Domain.Calls;
using Aicc.Domain.Compliance;
using Aicc.Domain.Tasks;
using ComplianceWindow = Aicc.Domain.Compliance.CallingWindow;
using TaskWindow = Aicc.Domain.Tasks.CallingWindow;

namespace Aicc.Domain.Dialing;

/// <summary>
/// The one translation from a task's stored settings (Domain/Tasks: what operators set through
/// the API and what the task's events record) into the types the dialer computes with
/// (pacing, redial planning, calling windows). The task's settings are the only source of truth;
/// the dialing types carry no defaults of their own that could disagree with them.
/// </summary>
public static class TaskDialingRules
{
    private static readonly ImmutableArray<DayOfWeek> EveryDay = [.. Enum.GetValues<DayOfWeek>()];

    /// <summary>The task's pacing mode, ratio, abandon cap and rate limit as the pacer's settings.</summary>
    public static PacingSettings Pacing(TaskPacing pacing, int? maxCallsPerMinute) => new(
        pacing.Mode switch
        {
            TaskPacingMode.Progressive => PacingMode.Progressive,
            TaskPacingMode.Power => PacingMode.Power,
            TaskPacingMode.Predictive => PacingMode.Predictive,
            TaskPacingMode.Agentless => PacingMode.Agentless,
            _ => throw new ArgumentOutOfRangeException(nameof(pacing), pacing.Mode, "unknown pacing mode"),
        },
        PowerRatio: (double)(pacing.Ratio ?? 2m),
        AbandonCap: (double)pacing.AbandonCap,
        MaxCallsPerMinute: maxCallsPerMinute);

    /// <summary>The task's retry rules per outcome as the redial planner's policy.</summary>
    public static RedialPolicy Redials(RetryPolicy retry) => new(new Dictionary<DialOutcome, RedialRule>
    {
        [DialOutcome.Busy] = new(retry.Busy.Delay, retry.Busy.MaxAttempts),
        [DialOutcome.NoAnswer] = new(retry.NoAnswer.Delay, retry.NoAnswer.MaxAttempts),
        [DialOutcome.Failed] = new(retry.Failed.Delay, retry.Failed.MaxAttempts),
        [DialOutcome.Abandoned] = new(retry.Abandoned.Delay, retry.Abandoned.MaxAttempts),
    }.ToImmutableDictionary());

    /// <summary>The task's daily windows (callee-local) as compliance windows valid every day of the week.</summary>
    public static ImmutableArray<ComplianceWindow> Windows(IEnumerable<TaskWindow> windows) =>
        [.. windows.Select(w => new ComplianceWindow(EveryDay, w.Start, w.End))];

    /// <summary>What a call's outcome means for redialing.</summary>
    public static DialOutcome Outcome(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Answered => DialOutcome.Connected,
        CallOutcome.Abandoned => DialOutcome.Abandoned,
        CallOutcome.Busy => DialOutcome.Busy,
        CallOutcome.NoAnswer => DialOutcome.NoAnswer,
        CallOutcome.Failed => DialOutcome.Failed,
        // The platform gave up before an answer (a stop while ringing): nobody was reached, so it is redialed like a failure.
        CallOutcome.Cancelled => DialOutcome.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown call outcome"),
    };
}
