namespace Aicc.EventStore;

/// <summary>Settings of a <see cref="PostgresEventStore"/>.</summary>
public sealed record EventStoreOptions
{
    /// <summary>The LISTEN/NOTIFY channel that appends signal on commit (the daemon's wake-up).</summary>
    public const string NotificationChannel = "aicc_events";

    /// <summary>Send NOTIFY with appends so that projection daemons wake at once instead of at their next poll.</summary>
    public bool NotifyOnAppend { get; init; } = true;

    /// <summary>
    /// At most one NOTIFY per this interval from this store instance. PostgreSQL serialises the
    /// commits of notifying transactions (a global lock held through the WAL flush), so a NOTIFY
    /// on every append would defeat group commit; a woken daemon keeps polling briefly and picks
    /// up the appends that did not notify. <see cref="TimeSpan.Zero"/> notifies on every append.
    /// </summary>
    public TimeSpan NotifyInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Projections run in every append's transaction, in this order.</summary>
    public IReadOnlyList<IInlineProjection> InlineProjections { get; init; } = [];

    /// <summary>How long <see cref="PostgresEventStore.ReadAllAsync"/>'s high-water mark waits for an unproven gap before skipping it; null waits for the proof.</summary>
    public TimeSpan? StaleGapTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
