using Aicc.Domain.Common;

namespace Aicc.Domain.Tasks;

/// <summary>Everything that happens to a call task (campaign); one stream per task.</summary>
public abstract record CallTaskEvent
{
    private CallTaskEvent()
    {
    }

    /// <summary>A draft with defaults: progressive pacing, 9-12 and 14-18 windows, default retries.</summary>
    public sealed record Created(
        Guid TaskId,
        Guid TenantId,
        string Name,
        Guid CreatedBy,
        TaskPacing Pacing,
        ValueList<CallingWindow> Windows,
        RetryPolicy Retry,
        DateTimeOffset CreatedAt) : CallTaskEvent;

    /// <summary>The task's display name changed.</summary>
    public sealed record Renamed(Guid TaskId, string Name, DateTimeOffset RenamedAt) : CallTaskEvent;

    /// <summary>Calls of this task go out on this line.</summary>
    public sealed record LineSet(Guid TaskId, Guid LineId, DateTimeOffset SetAt) : CallTaskEvent;

    /// <summary>Who takes answered calls: a robot, an agent skill group, or a robot then agents.</summary>
    public sealed record HandlerSet(Guid TaskId, TaskHandler Handler, DateTimeOffset SetAt) : CallTaskEvent;

    /// <summary>How the dialer sizes the calls in flight, and the abandon cap it must keep.</summary>
    public sealed record PacingSet(Guid TaskId, TaskPacing Pacing, DateTimeOffset SetAt) : CallTaskEvent;

    /// <summary>When customers may be called, in their local time.</summary>
    public sealed record CallingWindowsSet(Guid TaskId, ValueList<CallingWindow> Windows, DateTimeOffset SetAt) : CallTaskEvent;

    /// <summary>How unsuccessful calls are redialed.</summary>
    public sealed record RetryPolicySet(Guid TaskId, RetryPolicy Retry, DateTimeOffset SetAt) : CallTaskEvent;

    /// <summary>Null lifts the limit.</summary>
    public sealed record RateLimitSet(Guid TaskId, int? MaxCallsPerMinute, DateTimeOffset SetAt) : CallTaskEvent;

    /// <summary>The caller-number pool the dialer picks each call's caller ID from (seed 002's 号码组); null: the line's own rule.</summary>
    public sealed record NumberPoolSet(Guid TaskId, Guid? PoolId, DateTimeOffset SetAt) : CallTaskEvent;

    /// <summary>The outcomes an agent may record on a call of this task.</summary>
    public sealed record DispositionsSet(Guid TaskId, ValueList<string> Dispositions, DateTimeOffset SetAt) : CallTaskEvent;

    /// <summary>
    /// A validated, persisted customer batch joined the task (seed 002: persist first, then dial).
    /// The customers themselves live in the batch's own stream, which keeps this one short.
    /// </summary>
    public sealed record CustomerBatchAccepted(
        Guid TaskId,
        Guid BatchId,
        int Accepted,
        int Rejected,
        int Duplicates,
        DateTimeOffset AcceptedAt) : CallTaskEvent;

    /// <summary>The dialer may call this task's customers.</summary>
    public sealed record Started(Guid TaskId, DateTimeOffset StartedAt) : CallTaskEvent;

    /// <summary>No new calls until resumed; calls in flight finish.</summary>
    public sealed record Paused(Guid TaskId, string Reason, DateTimeOffset PausedAt) : CallTaskEvent;

    /// <summary>The dialer may call again.</summary>
    public sealed record Resumed(Guid TaskId, DateTimeOffset ResumedAt) : CallTaskEvent;

    /// <summary>The campaign is finished; nothing more is dialed.</summary>
    public sealed record Completed(Guid TaskId, DateTimeOffset CompletedAt) : CallTaskEvent;

    /// <summary>The campaign was called off; nothing more is dialed.</summary>
    public sealed record Cancelled(Guid TaskId, string Reason, DateTimeOffset CancelledAt) : CallTaskEvent;
}
