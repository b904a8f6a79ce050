namespace Aicc.Handlers.Messaging.Scheduling;

/// <summary>
/// Tuning of one scheduled-message worker. The lease must outlast a normal handler run: a
/// handler that is still running keeps its row locked, but a claim that was never started
/// (the worker died between claim and handling) becomes visible again only when it expires.
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
