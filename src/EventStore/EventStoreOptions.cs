namespace Aicc.EventStore;

/// <summary>Settings of a <see cref="PostgresEventStore"/>.</summary>
public sealed record EventStoreOptions
{
    /// <summary>The LISTEN/NOTIFY channel that appends signal on commit (the daemon's wake-up).</summary>
    public const string NotificationChannel = "aicc_events";

    /// <summary>Send a NOTIFY with every append so that projection daemons wake at once instead of at their next poll.</summary>
    public bool NotifyOnAppend { get; init; } = true;

    /// <summary>Projections run in every append's transaction, in this order.</summary>
    public IReadOnlyList<IInlineProjection> InlineProjections { get; init; } = [];

    /// <summary>How long <see cref="PostgresEventStore.ReadAllAsync"/>'s high-water mark waits for an unproven gap before skipping it; null waits for the proof.</summary>
    public TimeSpan? StaleGapTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
