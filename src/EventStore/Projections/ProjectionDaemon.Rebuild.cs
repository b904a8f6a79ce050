using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aicc.EventStore.Projections;

public sealed partial class ProjectionDaemon
{
    /// <summary>
    /// Rebuilds a projection from position zero: empties its read model and replays every event
    /// up to the current high-water mark, reporting progress. When this process leads the
    /// projection (or can take the lead) it replays itself; when another process leads, it
    /// resets the checkpoint there (that leader notices and replays) and follows its progress.
    /// </summary>
    /// <returns>The position the rebuild replayed to.</returns>
    public async Task<long> RebuildAsync(string name, IProgress<RebuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!_runners.TryGetValue(name, out var runner))
        {
            throw new ArgumentException($"No projection is named {name}; known: {string.Join(", ", _runners.Keys)}.", nameof(name));
        }

        await EnsureCheckpointRowsAsync([name], cancellationToken);
        var temporaryLead = false;
        if (!runner.IsLeader)
        {
            temporaryLead = await TryLeadAsync(runner, cancellationToken) && !IsRunning;
        }

        if (!runner.IsLeader)
        {
            return await RebuildElsewhereAsync(runner, progress, cancellationToken);
        }

        try
        {
            long target;
            await runner.Gate.WaitAsync(cancellationToken);
            try
            {
                await using (var transaction = await runner.Connection!.BeginTransactionAsync(cancellationToken))
                {
                    await ResetAsync(runner.Projection, runner.Connection, transaction, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }

                runner.Checkpoint = 0;
                target = await RefreshHighWaterMarkAsync(cancellationToken);
            }
            finally
            {
                runner.Gate.Release();
            }

            _logger.LogInformation("Rebuilding projection {Projection} up to position {Target}", name, target);
            var applied = 0L;
            progress?.Report(new RebuildProgress(name, 0, target, 0));
            await CatchUpAsync(runner, target, Options.RebuildBatchSize, count =>
            {
                applied += count;
                progress?.Report(new RebuildProgress(name, runner.Checkpoint, target, applied));
            }, cancellationToken);
            return target;
        }
        finally
        {
            if (temporaryLead)
            {
                await ReleaseLeadershipAsync(runner, "rebuild finished");
            }
        }
    }

    private async Task<long> RebuildElsewhereAsync(ProjectionRunner runner, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        var name = runner.Projection.Name;
        long target;
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                await ResetAsync(runner.Projection, connection, transaction, cancellationToken);
                await using (var notify = new NpgsqlCommand($"notify {EventStoreOptions.NotificationChannel}", connection, transaction))
                {
                    await notify.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            target = await _tracker.RefreshAsync(connection, cancellationToken);
        }

        _logger.LogInformation("Projection {Projection} is led by another process; reset it there and following its replay to {Target}", name, target);
        while (true)
        {
            var status = (await GetStatusAsync(_dataSource, cancellationToken)).Single(s => s.Name == name);
            progress?.Report(new RebuildProgress(name, status.Checkpoint, target, status.Checkpoint));
            if (status.Checkpoint >= target)
            {
                return target;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>Empties the read model and zeroes the checkpoint in one transaction, after locking the checkpoint row.</summary>
    private static async Task ResetAsync(IAsyncProjection projection, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var lockRow = new NpgsqlCommand(
            "select position from es_projection_checkpoints where name = $1 for update", connection, transaction))
        {
            lockRow.Parameters.AddWithValue(projection.Name);
            await lockRow.ExecuteScalarAsync(cancellationToken);
        }

        await projection.ResetAsync(connection, transaction, cancellationToken);
        await using var zero = new NpgsqlCommand(
            "update es_projection_checkpoints set position = 0, updated = now(), last_error = null, last_error_at = null where name = $1",
            connection, transaction);
        zero.Parameters.AddWithValue(projection.Name);
        await zero.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The health view of every projection that ever ran against this database: checkpoint,
    /// current high-water mark, lag in events, owner and last error. Needs no running daemon.
    /// </summary>
    public static async Task<IReadOnlyList<ProjectionStatus>> GetStatusAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var highWaterMark = await new HighWaterMarkTracker().RefreshAsync(connection, cancellationToken);
        await using var command = new NpgsqlCommand(
            "select name, position, owner, updated, last_error, last_error_at from es_projection_checkpoints order by name", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var statuses = new List<ProjectionStatus>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var position = reader.GetInt64(1);
            statuses.Add(new ProjectionStatus(
                reader.GetString(0),
                position,
                highWaterMark,
                Math.Max(0, highWaterMark - position),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return statuses;
    }
}
