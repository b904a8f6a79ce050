using Npgsql;

namespace Aicc.Api.Http.Statistics;

/// <summary>
/// Tells server-sent-events streams that a read model moved, so they re-read only then instead
/// of polling. One LISTEN connection per host (on the channel the checkpoint trigger notifies,
/// see 0270_floor.sql) fans out to every stream; a stream also re-reads on its own fallback
/// timer, so a lost notification or a dropped listener only delays it.
/// </summary>
public sealed class ProjectionMoves(NpgsqlDataSource dataSource, ILogger<ProjectionMoves> logger) : BackgroundService
{
    public const string Channel = "aicc_projection_moved";

    private TaskCompletionSource<Move> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// One move and the one after it: moves form a chain, so a reader that follows it sees every
    /// move even when several arrive at once (one commit moves several projections).
    /// </summary>
    public sealed record Move(string Projection, Task<Move> Next);

    /// <summary>
    /// Completes at the next move. Take it before reading the read model, then await it: a move
    /// during the read is not missed.
    /// </summary>
    public Task<Move> Next => Volatile.Read(ref _next).Task;

    private void Moved(string projection)
    {
        var fresh = new TaskCompletionSource<Move>(TaskCreationOptions.RunContinuationsAsynchronously);
        var current = Interlocked.Exchange(ref _next, fresh);
        current.TrySetResult(new Move(projection, fresh.Task));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Moved(e.Payload);
                await using (var listen = new NpgsqlCommand($"listen {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Something may have moved while nobody listened.
                Moved("");
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning(ex, "LISTEN {Channel} failed; streams fall back to their timers until it reconnects", Channel);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Waits until one of <paramref name="projections"/> moves (or any, if the listener just
    /// reconnected) or <paramref name="fallback"/> passes, following the chain from
    /// <paramref name="next"/> (taken before the caller's last read); returns where to wait next.
    /// </summary>
    public static async Task<Task<Move>> WaitAsync(Task<Move> next, IReadOnlyCollection<string> projections, TimeSpan fallback, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(fallback, clock, timeout.Token);
        try
        {
            while (true)
            {
                if (await Task.WhenAny(next, timer) == timer)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return next;
                }

                var move = await next;
                next = move.Next;
                if (move.Projection.Length == 0 || projections.Contains(move.Projection))
                {
                    return next;
                }
            }
        }
        finally
        {
            await timeout.CancelAsync();
        }
    }
}
