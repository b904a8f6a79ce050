using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Aicc.EventStore;

/// <summary>
/// The event store on PostgreSQL (Marten and Eventuous are not available here): appends with
/// optimistic concurrency, stream and global reads, live aggregation, archiving and snapshots,
/// over the tables of Schema/0001_event_store.sql. Generic over event types: the
/// <see cref="EventTypeRegistry"/> supplies names and serialisation.
/// </summary>
public sealed partial class PostgresEventStore
{
    private readonly ILogger _logger;

    public PostgresEventStore(NpgsqlDataSource dataSource, EventTypeRegistry registry, EventStoreOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        DataSource = dataSource;
        Registry = registry;
        Options = options ?? new EventStoreOptions();
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = LoggerFactory.CreateLogger<PostgresEventStore>();
        HighWaterMark = new HighWaterMarkTracker(Options.StaleGapTimeout, LoggerFactory.CreateLogger<HighWaterMarkTracker>());
    }

    public NpgsqlDataSource DataSource { get; }

    public EventTypeRegistry Registry { get; }

    public EventStoreOptions Options { get; }

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The safe high-water mark shared by every global read of this store instance.</summary>
    public HighWaterMarkTracker HighWaterMark { get; }

    internal string? SerializeMetadata(EventMetadata? metadata) =>
        metadata is null ? null : JsonSerializer.Serialize(metadata, Registry.SerializerOptions);

    internal EventMetadata? DeserializeMetadata(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<EventMetadata>(json, Registry.SerializerOptions);
}
