using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aicc.EventStore.Projections;

/// <summary>
/// Runs async projections behind the append path. Each projection reads the global stream only
/// up to the safe high-water mark (<see cref="HighWaterMarkTracker"/>), applies a batch and
/// moves its checkpoint in one transaction, and runs in exactly one process: the one holding
/// its PostgreSQL advisory lock. Appends wake the daemon by NOTIFY; polling covers lost
/// notifications and a dropped listener. See docs/adr/0002.
/// </summary>
public sealed partial class ProjectionDaemon : IAsyncDisposable
{
    private const string LockKeySql = "hashtextextended('aicc.projection:' || $1, 0)";

    private readonly PostgresEventStore _store;
    private readonly NpgsqlDataSource _dataSource;
    private readonly Dictionary<string, ProjectionRunner> _runners;
    private readonly HighWaterMarkTracker _tracker;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private CancellationTokenSource? _stopping;
    private long _lastHighWaterMark = -1;
    private Task? _loop;
    private Task? _listener;

    public ProjectionDaemon(PostgresEventStore store, IEnumerable<IAsyncProjection> projections, ProjectionDaemonOptions? options = null)
    {
        _store = store;
        _dataSource = store.DataSource;
        Options = options ?? new ProjectionDaemonOptions();
        _runners = new Dictionary<string, ProjectionRunner>(StringComparer.Ordinal);
        foreach (var projection in projections)
        {
            if (!_runners.TryAdd(projection.Name, new ProjectionRunner(projection)))
            {
                throw new ArgumentException($"Two projections are named {projection.Name}.", nameof(projections));
            }
        }

        _logger = store.LoggerFactory.CreateLogger<ProjectionDaemon>();
        _tracker = new HighWaterMarkTracker(Options.StaleGapTimeout, store.LoggerFactory.CreateLogger<HighWaterMarkTracker>());
    }

    public ProjectionDaemonOptions Options { get; }

    /// <summary>Raised after each committed batch (on the daemon's loop; keep handlers short).</summary>
    public event Action<ProjectionBatchCommitted>? BatchCommitted;

    /// <summary>The projections this process currently leads.</summary>
    public IReadOnlyCollection<string> LeadingProjections =>
        _runners.Values.Where(runner => runner.IsLeader).Select(runner => runner.Projection.Name).ToList();

    public IReadOnlyCollection<string> ProjectionNames => _runners.Keys;

    public bool IsRunning => _loop is { IsCompleted: false };

    /// <summary>Starts listening for appends and competing for the projections' leadership.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("The daemon is already started.");
        }

        await EnsureCheckpointRowsAsync(_runners.Keys, cancellationToken);
        _stopping = new CancellationTokenSource();
        _listener = Task.Run(() => ListenAsync(_stopping.Token), CancellationToken.None);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Stops the loop and releases every leadership, so another process takes over at once.</summary>
    public async Task StopAsync()
    {
        if (_stopping is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var task in new[] { _loop, _listener })
        {
            if (task is null)
            {
                continue;
            }

            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
            }
        }

        foreach (var runner in _runners.Values)
        {
            await ReleaseLeadershipAsync(runner, "stopping");
        }

        _stopping.Dispose();
        _stopping = null;
        _loop = null;
        _listener = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>
    /// Stops the loop like a process that died: leadership connections are abandoned, not
    /// unlocked, so only PostgreSQL ending those sessions frees the projections (tests kill them).
    /// </summary>
    internal async Task AbandonAsync()
    {
        if (_stopping is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var task in new[] { _loop, _listener })
        {
            try
            {
                await (task ?? Task.CompletedTask);
            }
            catch (OperationCanceledException)
            {
            }
        }

        foreach (var runner in _runners.Values)
        {
            runner.Connection = null;
        }

        _stopping = null;
        _loop = null;
        _listener = null;
    }

    /// <summary>Wakes the loop (new events, or a leadership check is due).</summary>
    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextLeadershipCheck = DateTimeOffset.MinValue;
        var lastActivity = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var now = DateTimeOffset.UtcNow;
                if (now >= nextLeadershipCheck && _runners.Values.Any(runner => !runner.IsLeader))
                {
                    await AcquireLeadershipAsync(cancellationToken);
                    nextLeadershipCheck = now + Options.LeadershipInterval;
                }

                if (_runners.Values.Any(runner => runner.IsLeader))
                {
                    var highWaterMark = await RefreshHighWaterMarkAsync(cancellationToken);
                    if (highWaterMark > _lastHighWaterMark || _tracker.HasGap)
                    {
                        _lastHighWaterMark = highWaterMark;
                        lastActivity = DateTimeOffset.UtcNow;
                    }

                    foreach (var runner in _runners.Values)
                    {
                        if (runner.IsLeader && DateTimeOffset.UtcNow >= runner.RetryAfter)
                        {
                            await CatchUpAsync(runner, highWaterMark, Options.BatchSize, null, cancellationToken);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Projection daemon {Node} loop failed; retrying", Options.NodeId);
                await DelayQuietlyAsync(Options.ErrorBackoff, cancellationToken);
            }

            var wait = DateTimeOffset.UtcNow - lastActivity < Options.BusyWindow ? Options.BusyPollInterval : Options.PollInterval;
            if (_runners.Values.Any(runner => !runner.IsLeader))
            {
                var untilCheck = nextLeadershipCheck - DateTimeOffset.UtcNow;
                wait = untilCheck < wait ? untilCheck : wait;
            }

            await WaitForWakeAsync(wait, cancellationToken);
        }
    }

    private async Task<long> RefreshHighWaterMarkAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await _tracker.RefreshAsync(connection, cancellationToken);
    }

    private async Task WaitForWakeAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await _wake.Reader.WaitToReadAsync(timeout.Token);
            _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"listen {EventStoreOptions.NotificationChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                // Anything appended while nobody listened is picked up by this wake-up.
                Wake();
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Projection daemon {Node} lost its LISTEN connection; polling until it is back", Options.NodeId);
                await DelayQuietlyAsync(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private async Task EnsureCheckpointRowsAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "insert into es_projection_checkpoints (name) select unnest($1::text[]) on conflict do nothing");
        command.Parameters.AddWithValue(names.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One projection's state in this process: its leadership connection and checkpoint.</summary>
    private sealed class ProjectionRunner(IAsyncProjection projection)
    {
        public IAsyncProjection Projection { get; } = projection;

        /// <summary>Holds the advisory lock while this process leads; every batch runs on it, so a lost lock fails the batch.</summary>
        public NpgsqlConnection? Connection { get; set; }

        public long Checkpoint { get; set; }

        public DateTimeOffset RetryAfter { get; set; }

        /// <summary>Keeps the loop's catch-up and a rebuild from using the connection at once.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public bool IsLeader => Connection is not null;
    }
}
