using Aicc.Domain.Common;

namespace Aicc.Domain.Tasks;

/// <summary>
/// A call task (campaign; seed 000's 呼叫任务, seed 002's 任务): customers to call, the line to
/// call them on, who takes answered calls, and the rules for pacing, windows, retries and rate.
/// Draft -> running &lt;-> paused -> completed | cancelled.
/// </summary>
public abstract record CallTask
{
    private CallTask()
    {
    }

    public sealed record None : CallTask;

    /// <summary>Any task that exists, whatever its lifecycle state.</summary>
    public abstract record Existing(TaskSetup Setup) : CallTask;

    public sealed record Draft(TaskSetup Setup) : Existing(Setup);

    public sealed record Running(TaskSetup Setup, DateTimeOffset Since) : Existing(Setup);

    public sealed record Paused(TaskSetup Setup, string Reason, DateTimeOffset Since) : Existing(Setup);

    public sealed record Completed(TaskSetup Setup, DateTimeOffset At) : Existing(Setup);

    public sealed record Cancelled(TaskSetup Setup, string Reason, DateTimeOffset At) : Existing(Setup);

    public static CallTask Initial { get; } = new None();

    public static CallTask Evolve(CallTask state, CallTaskEvent @event) => (state, @event) switch
    {
        (None, CallTaskEvent.Created e) => new Draft(new TaskSetup(
            e.TaskId, e.TenantId, e.Name, null, null, e.Pacing, e.Windows, e.Retry, null,
            ValueList<string>.Empty, ValueList<Guid>.Empty, 0)),
        (Existing s, CallTaskEvent.Renamed e) => s with { Setup = s.Setup with { Name = e.Name } },
        (Existing s, CallTaskEvent.LineSet e) => s with { Setup = s.Setup with { LineId = e.LineId } },
        (Existing s, CallTaskEvent.HandlerSet e) => s with { Setup = s.Setup with { Handler = e.Handler } },
        (Existing s, CallTaskEvent.PacingSet e) => s with { Setup = s.Setup with { Pacing = e.Pacing } },
        (Existing s, CallTaskEvent.CallingWindowsSet e) => s with { Setup = s.Setup with { Windows = e.Windows } },
        (Existing s, CallTaskEvent.RetryPolicySet e) => s with { Setup = s.Setup with { Retry = e.Retry } },
        (Existing s, CallTaskEvent.RateLimitSet e) => s with { Setup = s.Setup with { MaxCallsPerMinute = e.MaxCallsPerMinute } },
        (Existing s, CallTaskEvent.NumberPoolSet e) => s with { Setup = s.Setup with { NumberPoolId = e.PoolId } },
        (Existing s, CallTaskEvent.DispositionsSet e) => s with { Setup = s.Setup with { Dispositions = e.Dispositions } },
        (Existing s, CallTaskEvent.CustomerBatchAccepted e) => s with
        {
            Setup = s.Setup with
            {
                Batches = s.Setup.Batches.Add(e.BatchId),
                CustomerCount = s.Setup.CustomerCount + e.Accepted,
            },
        },
        (Draft s, CallTaskEvent.Started e) => new Running(s.Setup, e.StartedAt),
        (Running s, CallTaskEvent.Paused e) => new Paused(s.Setup, e.Reason, e.PausedAt),
        (Paused s, CallTaskEvent.Resumed e) => new Running(s.Setup, e.ResumedAt),
        (Running or Paused, CallTaskEvent.Completed e) => new Completed(((Existing)state).Setup, e.CompletedAt),
        (Draft or Running or Paused, CallTaskEvent.Cancelled e) => new Cancelled(((Existing)state).Setup, e.Reason, e.CancelledAt),
        _ => state,
    };
}

/// <summary>Everything configured on a task; a running task reads it for every dialing decision.</summary>
public sealed record TaskSetup(
    Guid TaskId,
    Guid TenantId,
    string Name,
    Guid? LineId,
    TaskHandler? Handler,
    TaskPacing Pacing,
    ValueList<CallingWindow> Windows,
    RetryPolicy Retry,
    int? MaxCallsPerMinute,
    ValueList<string> Dispositions,
    ValueList<Guid> Batches,
    int CustomerCount,
    Guid? NumberPoolId = null);
