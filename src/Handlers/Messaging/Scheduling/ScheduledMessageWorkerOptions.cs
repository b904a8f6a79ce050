namespace Aicc.Handlers.Messaging.Scheduling;

/// <summary>
/// Tuning of one scheduled-message worker. The lease covers a claimed batch until each message
/// is started (a running handler keeps its row locked, so a slow handler is safe); a claim that
/// was never started (the worker died in between) becomes visible again when the lease expires.
/// Keep the lease above the poll interval: the scheduler skips a NOTIFY for a message due after
/// a claimed one, trusting that the claiming worker looks again within the poll interval.
/// </summary>
public sealed record ScheduledMessageWorkerOptions
{
    /// <summary>Shown as claimed_by; defaults to host:pid:random so two workers in one process differ.</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    public int BatchSize { get; init; } = 20;

    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest sleep without a look at the table, in case a notification was missed.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}
