namespace Aicc.EventStore.Projections;

/// <summary>Timing and batching of a <see cref="ProjectionDaemon"/>.</summary>
public sealed record ProjectionDaemonOptions
{
    /// <summary>Names this process in the checkpoint table's owner column and in logs.</summary>
    public string NodeId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>How often to look for new events when no notification arrives (the NOTIFY fallback).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Poll interval while events keep arriving (within <see cref="BusyWindow"/> of the last
    /// applied batch): appends notify at most every few milliseconds, so a busy daemon polls.
    /// </summary>
    public TimeSpan BusyPollInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How long after the last applied batch the daemon keeps polling at <see cref="BusyPollInterval"/>.</summary>
    public TimeSpan BusyWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a process that leads no projection retries their advisory locks (the takeover delay).</summary>
    public TimeSpan LeadershipInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Events per read-model transaction while catching up.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Events per transaction during a rebuild (bigger batches, fewer commits).</summary>
    public int RebuildBatchSize { get; init; } = 5000;

    /// <summary>Skip a sequence gap not proven dead after this long (logged); null waits for the proof for ever.</summary>
    public TimeSpan? StaleGapTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Pause of a projection after its batch failed, before it is retried.</summary>
    public TimeSpan ErrorBackoff { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>What <see cref="ProjectionDaemon.GetStatusAsync"/> reports per projection (the health view).</summary>
/// <param name="Lag">Events between the checkpoint and the high-water mark.</param>
public sealed record ProjectionStatus(
    string Name,
    long Checkpoint,
    long HighWaterMark,
    long Lag,
    string? Owner,
    DateTimeOffset Updated,
    string? LastError,
    DateTimeOffset? LastErrorAt);

/// <summary>Progress of a rebuild: position reached out of the high-water mark it replays to.</summary>
public sealed record RebuildProgress(string Projection, long Position, long Target, long EventsApplied);

/// <summary>A batch a projection committed; used for lag measurement and diagnostics.</summary>
public sealed record ProjectionBatchCommitted(string Projection, IReadOnlyList<RecordedEvent> Events, long Checkpoint);
