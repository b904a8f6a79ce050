using System.Collections.Immutable;

namespace Aicc.Domain.Compliance;

/// <summary>
/// How often one person may be called (seed 002's limit service: e.g. once per 3 days across the
/// tenant; carriers also cap a caller number's calls to the same callee) and how fast one task may
/// dial. Null means no limit.
/// </summary>
public sealed record ContactLimits(
    int? PerCalleeMax = 1,
    TimeSpan? PerCalleePeriod = null,
    int? PerPairMax = null,
    TimeSpan? PerPairPeriod = null,
    int? PerTaskPerMinute = null)
{
    public TimeSpan CalleePeriod => PerCalleePeriod ?? TimeSpan.FromDays(3);

    public TimeSpan PairPeriod => PerPairPeriod ?? TimeSpan.FromDays(1);
}

/// <summary>
/// One dial attempt that counts against the limits. The per-callee limit counts only attempts
/// that <paramref name="Reached"/> the person (answered, even if abandoned): a busy or unanswered
/// attempt bothered nobody, and counting it would forbid the very redials the task's policy asks for.
/// </summary>
public sealed record ContactAttempt(string TaskId, string Callee, string? CallerNumber, DateTimeOffset At, bool Reached = true);

/// <summary>
/// The tenant's recent dial attempts, folded from attempt events and trimmed to the longest limit
/// period so it stays small.
/// </summary>
public sealed record ContactHistory(ImmutableList<ContactAttempt> Attempts)
{
    public static ContactHistory Empty { get; } = new(ImmutableList<ContactAttempt>.Empty);

    public ContactHistory Record(ContactAttempt attempt, TimeSpan keep) =>
        new(Attempts.RemoveAll(a => a.At <= attempt.At - keep).Add(attempt));

    public int ToCallee(string callee, DateTimeOffset now, TimeSpan period) =>
        Attempts.Count(a => a.Callee == callee && a.Reached && a.At > now - period);

    public int ToPair(string callee, string callerNumber, DateTimeOffset now, TimeSpan period) =>
        Attempts.Count(a => a.Callee == callee && a.CallerNumber == callerNumber && a.At > now - period);

    public int ByTask(string taskId, DateTimeOffset now, TimeSpan period) =>
        Attempts.Count(a => a.TaskId == taskId && a.At > now - period);
}
