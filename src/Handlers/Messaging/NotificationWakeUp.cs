using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aicc.Handlers.Messaging;

/// <summary>
/// Wakes a sleeping worker when PostgreSQL delivers a NOTIFY on one channel. NOTIFY is sent
/// at commit, so a rolled-back schedule or outbox write never wakes anyone. The listening
/// connection reconnects after failures; notifications missed meanwhile are caught by the
/// worker's polling fallback, so this is an optimisation, never a correctness requirement.
/// </summary>
public sealed class NotificationWakeUp : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    public NotificationWakeUp(NpgsqlDataSource dataSource, string channel, ILogger logger)
    {
        _dataSource = dataSource;
        _channel = channel;
        _logger = logger;
    }

    /// <summary>Starts listening; completes once the first LISTEN is in place (or failed once).</summary>
    public Task StartAsync()
    {
        _loop ??= Task.Run(ListenLoopAsync);
        return _listening.Task;
    }

    /// <summary>Waits until a notification arrives or <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await _signal.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller's loop checks its token itself.
        }
    }

    /// <summary>Wakes the waiter now (also used by a worker that knows there is more work).</summary>
    public void Signal()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another notification got there first; one pending wake-up is enough.
        }
    }

    private async Task ListenLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token);
                connection.Notification += (_, _) => Signal();
                await using (var listen = new NpgsqlCommand($"listen {_channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(_stop.Token);
                }

                _listening.TrySetResult();
                // Work may have been committed while we were not listening.
                Signal();
                while (!_stop.IsCancellationRequested)
                {
                    await connection.WaitAsync(_stop.Token);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                _listening.TrySetResult();
                _logger.LogWarning(ex, "LISTEN {Channel} failed; relying on polling until it reconnects", _channel);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
        _signal.Dispose();
    }
}
