namespace Aicc.Handlers.Messaging.Outbox;

/// <summary>Tuning of one outbox relay; see <see cref="Scheduling.ScheduledMessageWorkerOptions"/> for the lease's role.</summary>
public sealed record OutboxRelayOptions
{
    public string RelayId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    public int BatchSize { get; init; } = 50;

    /// <summary>Deliveries running at once within a batch (different ordering keys only).</summary>
    public int MaxConcurrentDeliveries { get; init; } = 4;

    /// <summary>Must outlast one delivery (an HTTP timeout); otherwise another relay delivers it again.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>How long delivered messages stay visible to <c>aicc outbox status</c> before being purged.</summary>
    public TimeSpan DeliveredRetention { get; init; } = TimeSpan.FromDays(3);
}
