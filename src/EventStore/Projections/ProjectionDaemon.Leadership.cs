using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aicc.EventStore.Projections;

public sealed partial class ProjectionDaemon
{
    private async Task AcquireLeadershipAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in _runners.Values)
        {
            if (!runner.IsLeader)
            {
                await TryLeadAsync(runner, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Takes the projection's session-level advisory lock on a connection of its own. The lock
    /// lives exactly as long as that connection: when this process dies, PostgreSQL drops the
    /// session and the lock, and another process's next attempt (every LeadershipInterval) wins.
    /// </summary>
    private async Task<bool> TryLeadAsync(ProjectionRunner runner, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using (var tryLock = new NpgsqlCommand($"select pg_try_advisory_lock({LockKeySql})", connection))
            {
                tryLock.Parameters.AddWithValue(runner.Projection.Name);
                if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
                {
                    await connection.DisposeAsync();
                    return false;
                }
            }

            await using (var claim = new NpgsqlCommand(
                "update es_projection_checkpoints set owner = $2 where name = $1 returning position", connection))
            {
                claim.Parameters.AddWithValue(runner.Projection.Name);
                claim.Parameters.AddWithValue(Options.NodeId);
                runner.Checkpoint = (long)(await claim.ExecuteScalarAsync(cancellationToken))!;
            }

            runner.Connection = connection;
            runner.RetryAfter = DateTimeOffset.MinValue;
            _logger.LogInformation("Node {Node} leads projection {Projection} from position {Checkpoint}",
                Options.NodeId, runner.Projection.Name, runner.Checkpoint);
            return true;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task ReleaseLeadershipAsync(ProjectionRunner runner, string reason)
    {
        var connection = runner.Connection;
        if (connection is null)
        {
            return;
        }

        runner.Connection = null;
        try
        {
            // A pooled connection would otherwise keep the session lock while it idles in the pool.
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand("select pg_advisory_unlock_all()", connection);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            _logger.LogDebug(ex, "Unlocking projection {Projection} failed; closing the session releases it", runner.Projection.Name);
        }
        finally
        {
            await connection.DisposeAsync();
        }

        _logger.LogInformation("Node {Node} released projection {Projection} ({Reason})", Options.NodeId, runner.Projection.Name, reason);
    }

    /// <summary>Applies batches until the checkpoint reaches <paramref name="highWaterMark"/>; a failure is recorded, not thrown.</summary>
    private async Task CatchUpAsync(
        ProjectionRunner runner, long highWaterMark, int batchSize, Action<int>? onBatch, CancellationToken cancellationToken)
    {
        await runner.Gate.WaitAsync(cancellationToken);
        try
        {
            if (runner.IsLeader && runner.Checkpoint >= highWaterMark && await CheckpointMovedAsync(runner, cancellationToken))
            {
                // A rebuild elsewhere reset the checkpoint while this leader was idle.
                var replayed = await ApplyBatchAsync(runner, highWaterMark, batchSize, cancellationToken);
                onBatch?.Invoke(replayed);
            }

            while (runner.IsLeader && runner.Checkpoint < highWaterMark)
            {
                var applied = await ApplyBatchAsync(runner, highWaterMark, batchSize, cancellationToken);
                onBatch?.Invoke(applied);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            runner.RetryAfter = DateTimeOffset.UtcNow + Options.ErrorBackoff;
            _logger.LogError(ex, "Projection {Projection} failed after position {Checkpoint}; retrying in {Backoff}",
                runner.Projection.Name, runner.Checkpoint, Options.ErrorBackoff);
            if (runner.Connection is { } connection && connection.FullState != System.Data.ConnectionState.Open)
            {
                await ReleaseLeadershipAsync(runner, "connection lost");
            }

            await RecordErrorAsync(runner.Projection.Name, ex);
            if (onBatch is not null)
            {
                throw;
            }
        }
        finally
        {
            runner.Gate.Release();
        }
    }

    private static async Task<bool> CheckpointMovedAsync(ProjectionRunner runner, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select position from es_projection_checkpoints where name = $1", runner.Connection);
        command.Parameters.AddWithValue(runner.Projection.Name);
        return (long?)await command.ExecuteScalarAsync(cancellationToken) != runner.Checkpoint;
    }

    /// <summary>
    /// One transaction: lock the checkpoint row, read the next events up to the high-water mark,
    /// apply them, move the checkpoint. The row lock orders this against a rebuild's reset.
    /// </summary>
    private async Task<int> ApplyBatchAsync(ProjectionRunner runner, long highWaterMark, int batchSize, CancellationToken cancellationToken)
    {
        var connection = runner.Connection!;
        var name = runner.Projection.Name;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockRow = new NpgsqlCommand(
            "select position from es_projection_checkpoints where name = $1 for update", connection, transaction))
        {
            lockRow.Parameters.AddWithValue(name);
            var stored = (long)(await lockRow.ExecuteScalarAsync(cancellationToken))!;
            if (stored != runner.Checkpoint)
            {
                // Moved by a rebuild in another process (reset to zero): continue from there.
                _logger.LogInformation("Projection {Projection} checkpoint moved from {Ours} to {Stored}; continuing from {Stored}",
                    name, runner.Checkpoint, stored, stored);
                runner.Checkpoint = stored;
            }
        }

        var events = runner.Checkpoint < highWaterMark
            ? await _store.ReadRangeAsync(connection, transaction, runner.Checkpoint, highWaterMark, batchSize, null, cancellationToken)
            : [];
        if (events.Count > 0)
        {
            await runner.Projection.ApplyAsync(connection, transaction, events, cancellationToken);
        }

        // A short batch read everything up to the mark; the rest of the range holds only dead gaps.
        var reached = events.Count == batchSize ? events[^1].Position : Math.Max(highWaterMark, runner.Checkpoint);
        await using (var advance = new NpgsqlCommand(
            "update es_projection_checkpoints set position = $2, owner = $3, updated = now(), last_error = null, last_error_at = null where name = $1",
            connection, transaction))
        {
            advance.Parameters.AddWithValue(name);
            advance.Parameters.AddWithValue(reached);
            advance.Parameters.AddWithValue(Options.NodeId);
            await advance.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        runner.Checkpoint = reached;
        if (events.Count > 0)
        {
            BatchCommitted?.Invoke(new ProjectionBatchCommitted(name, events, reached));
        }

        return events.Count;
    }

    private async Task RecordErrorAsync(string name, Exception error)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(
                "update es_projection_checkpoints set last_error = $2, last_error_at = now() where name = $1");
            command.Parameters.AddWithValue(name);
            command.Parameters.AddWithValue($"{error.GetType().Name}: {error.Message}");
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            _logger.LogWarning(ex, "Could not record the error of projection {Projection}", name);
        }
    }
}
