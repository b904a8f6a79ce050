using System.Collections.Immutable;

namespace Aicc.Domain.Compliance;

/// <summary>Why a number was not dialed; shown to supervisors and counted in reports.</summary>
public enum RefusalReason
{
    Blacklisted,
    DoNotCall,
    CalleeLimit,
    CallerCalleeLimit,
    TaskRateLimit,
    OutsideCallingWindow,

    /// <summary>Every number of the task's pool is offline, leased or at its cap; tried again later.</summary>
    NoCallerNumber,
}

/// <summary>
/// Ask whether one call may be placed now. Everything loaded beforehand comes in: the task's
/// limits and windows, and the callee's time zone from the number's region.
/// </summary>
public sealed record CheckDial(
    string TenantId,
    string TaskId,
    string Callee,
    string? CallerNumber,
    ContactLimits Limits,
    ImmutableArray<CallingWindow> Windows,
    TimeZoneInfo CalleeZone,
    DateTimeOffset Now);

/// <summary>The outcome of a dial check: every refusal is an event with its reason.</summary>
public abstract record DialCheckEvent
{
    private DialCheckEvent()
    {
    }

    /// <summary>The call may go out (<paramref name="Whitelisted"/>: checks were skipped for a test number).</summary>
    public sealed record DialCleared(string TenantId, string TaskId, string Callee, string? CallerNumber, bool Whitelisted, DateTimeOffset ClearedAt) : DialCheckEvent;

    /// <summary>The call must not go out now; <paramref name="Detail"/> says which rule and numbers, for the supervisor.</summary>
    public sealed record DialRefused(string TenantId, string TaskId, string Callee, RefusalReason Reason, string Detail, DateTimeOffset? RetryAfter, DateTimeOffset RefusedAt) : DialCheckEvent;
}

/// <summary>What the gate decides against: the tenant's lists and recent attempts.</summary>
public sealed record DialGateState(DialLists Lists, ContactHistory History);

/// <summary>
/// The outbound compliance gate, in seed 002's order: whitelist passes at once; blacklist and
/// do-not-call refuse; then the per-callee, per-pair and per-task limits; then the callee's
/// calling window. The first failing rule is the reason.
/// </summary>
public static class DialGate
{
    public static IReadOnlyList<DialCheckEvent> Decide(CheckDial c, DialGateState state)
    {
        if (state.Lists.Contains(DialListKind.Whitelist, c.Callee))
        {
            return [new DialCheckEvent.DialCleared(c.TenantId, c.TaskId, c.Callee, c.CallerNumber, true, c.Now)];
        }

        if (Refusal(c, state) is { } refused)
        {
            return [refused];
        }

        return [new DialCheckEvent.DialCleared(c.TenantId, c.TaskId, c.Callee, c.CallerNumber, false, c.Now)];
    }

    private static DialCheckEvent.DialRefused? Refusal(CheckDial c, DialGateState state)
    {
        DialCheckEvent.DialRefused Refuse(RefusalReason reason, string detail, DateTimeOffset? retryAfter = null) =>
            new(c.TenantId, c.TaskId, c.Callee, reason, detail, retryAfter, c.Now);

        if (state.Lists.Entry(DialListKind.Blacklist, c.Callee) is { } black)
        {
            return Refuse(RefusalReason.Blacklisted, $"blacklisted by {black.Source} at {black.ListedAt:O}: {black.Reason}");
        }

        if (state.Lists.Entry(DialListKind.DoNotCall, c.Callee) is { } dnc)
        {
            return Refuse(RefusalReason.DoNotCall, $"on the do-not-call list ({dnc.Source}, {dnc.ListedAt:O}): {dnc.Reason}");
        }

        var history = state.History;
        var limits = c.Limits;
        if (limits.PerCalleeMax is { } calleeMax && history.ToCallee(c.Callee, c.Now, limits.CalleePeriod) >= calleeMax)
        {
            var next = history.Attempts.Where(a => a.Callee == c.Callee && a.Reached && a.At > c.Now - limits.CalleePeriod).Min(a => a.At) + limits.CalleePeriod;
            return Refuse(RefusalReason.CalleeLimit, $"{calleeMax} call(s) per {limits.CalleePeriod} to this callee already made", next);
        }

        if (limits.PerPairMax is { } pairMax && c.CallerNumber is { } caller && history.ToPair(c.Callee, caller, c.Now, limits.PairPeriod) >= pairMax)
        {
            return Refuse(RefusalReason.CallerCalleeLimit, $"{pairMax} call(s) per {limits.PairPeriod} from {caller} to this callee already made");
        }

        if (limits.PerTaskPerMinute is { } perMinute && history.ByTask(c.TaskId, c.Now, TimeSpan.FromMinutes(1)) >= perMinute)
        {
            return Refuse(RefusalReason.TaskRateLimit, $"task rate limit of {perMinute} call(s) per minute reached", c.Now.AddSeconds(1));
        }

        if (!CallingWindows.IsOpen(c.Windows, c.CalleeZone, c.Now))
        {
            var local = TimeZoneInfo.ConvertTime(c.Now, c.CalleeZone);
            return Refuse(
                RefusalReason.OutsideCallingWindow,
                $"{local:yyyy-MM-dd HH:mm} {local.DayOfWeek} in {c.CalleeZone.Id} is outside the calling windows",
                CallingWindows.NextOpening(c.Windows, c.CalleeZone, c.Now));
        }

        return null;
    }
}
