using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aicc.Handlers.Messaging.Scheduling;

public sealed partial class ScheduledMessageWorker
{
    private const int MaxErrorLength = 4000;
    private const string MessageSavepoint = "scheduled_message";

    private enum Outcome
    {
        Completed,
        Retrying,
        DeadLettered,
        Lost,
    }

    private async Task HandleChunkAsync(ScheduledMessage[] chunk, Guid claimToken, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var outcomes = new List<Outcome>(chunk.Length);
        var completed = new List<Guid>(chunk.Length);
        try
        {
            foreach (var message in chunk)
            {
                var outcome = await HandleOneAsync(connection, transaction, message, claimToken, cancellationToken);
                outcomes.Add(outcome);
                if (outcome == Outcome.Completed)
                {
                    completed.Add(message.Id);
                }
            }

            await using (var complete = new NpgsqlCommand(
                "delete from scheduled_messages where id = any($1) and claim_token = $2", connection, transaction))
            {
                complete.Parameters.AddWithValue(completed.ToArray());
                complete.Parameters.AddWithValue(claimToken);
                await complete.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await RollBackQuietlyAsync(transaction);
            await ReleaseAsync(chunk, claimToken);
            throw;
        }
        catch (PostgresException ex) when (chunk.Length > 1)
        {
            // Something failed the whole transaction (a deferred constraint at commit, say).
            // Our claims are untouched by the rollback, so handle each message on its own: a
            // poisonous message must not take its neighbours down with it.
            await RollBackQuietlyAsync(transaction);
            _logger.LogWarning(ex, "A batch of {Count} scheduled messages failed as a whole; handling them one by one", chunk.Length);
            foreach (var message in chunk)
            {
                await HandleChunkAsync([message], claimToken, cancellationToken);
            }

            return;
        }

        Interlocked.Add(ref _completed, outcomes.Count(outcome => outcome == Outcome.Completed));
        Interlocked.Add(ref _failed, outcomes.Count(outcome => outcome == Outcome.Retrying));
        Interlocked.Add(ref _deadLettered, outcomes.Count(outcome => outcome == Outcome.DeadLettered));
        Interlocked.Add(ref _lostClaims, outcomes.Count(outcome => outcome == Outcome.Lost));
    }

    private async Task<Outcome> HandleOneAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ScheduledMessage message, Guid claimToken, CancellationToken cancellationToken)
    {
        if (message.Attempt > _options.Retry.MaxAttempts)
        {
            // Claimed again and again without ever finishing: its workers keep dying on it.
            return await RecordFailureAsync(
                connection,
                transaction,
                message,
                claimToken,
                $"abandoned: claimed {message.Attempt - 1} times without completing (worker crashed or lease too short)",
                cancellationToken);
        }

        await using (var fence = new NpgsqlCommand(
            "select 1 from scheduled_messages where id = $1 and claim_token = $2 for update", connection, transaction))
        {
            fence.Parameters.AddWithValue(message.Id);
            fence.Parameters.AddWithValue(claimToken);
            if (await fence.ExecuteScalarAsync(cancellationToken) is null)
            {
                _logger.LogInformation(
                    "Scheduled message {MessageId} ({MessageType}) was re-claimed or cancelled before {WorkerId} started it",
                    message.Id, message.MessageType, _options.WorkerId);
                return Outcome.Lost;
            }
        }

        var handler = _handlers.Find(message.MessageType)
            ?? throw new InvalidOperationException($"Claimed {message.MessageType} without a handler.");
        await transaction.SaveAsync(MessageSavepoint, cancellationToken);
        try
        {
            await handler(new ScheduledMessageContext(message, connection, transaction, _time.GetUtcNow()), cancellationToken);
            // Fails if the handler swallowed a database error: that counts as its failure.
            await transaction.ReleaseAsync(MessageSavepoint, cancellationToken);
            return Outcome.Completed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Undo this message's effects only; the batch's other messages stay.
            await transaction.RollbackAsync(MessageSavepoint, cancellationToken);
            _logger.LogWarning(ex, "Scheduled message {MessageId} ({MessageType}, tenant {Tenant}) failed attempt {Attempt}",
                message.Id, message.MessageType, message.Tenant, message.Attempt);
            return await RecordFailureAsync(connection, transaction, message, claimToken, $"{ex.GetType().Name}: {ex.Message}", cancellationToken);
        }
    }

    private async Task<Outcome> RecordFailureAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        ScheduledMessage message,
        Guid claimToken,
        string error,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lastError = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        var exhausted = _options.Retry.IsExhausted(message.Attempt);
        await using var command = exhausted
            ? new NpgsqlCommand("""
                with moved as (
                    delete from scheduled_messages where id = $1 and claim_token = $2 returning *
                )
                insert into scheduled_message_dead_letters
                    (id, tenant, message_type, payload, due_at, dedupe_key, attempts, last_error, dead_at, created_at)
                select id, tenant, message_type, payload, due_at, dedupe_key, attempts, $3, $4, created_at from moved
                """, connection, transaction)
            : new NpgsqlCommand("""
                update scheduled_messages
                set visible_at = $4 + $5, claim_token = null, claimed_by = null, last_error = $3
                where id = $1 and claim_token = $2
                """, connection, transaction);
        command.Parameters.AddWithValue(message.Id);
        command.Parameters.AddWithValue(claimToken);
        command.Parameters.AddWithValue(lastError);
        command.Parameters.AddWithValue(now);
        if (!exhausted)
        {
            command.Parameters.AddWithValue(_options.Retry.DelayAfter(message.Attempt));
        }

        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return Outcome.Lost;
        }

        if (exhausted)
        {
            _logger.LogError("Scheduled message {MessageId} ({MessageType}, tenant {Tenant}) dead-lettered after {Attempts} attempts: {Error}",
                message.Id, message.MessageType, message.Tenant, message.Attempt, lastError);
            return Outcome.DeadLettered;
        }

        return Outcome.Retrying;
    }

    /// <summary>On shutdown, hands unfinished messages back at once instead of waiting for the lease.</summary>
    private async Task ReleaseAsync(ScheduledMessage[] messages, Guid claimToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("""
                update scheduled_messages
                set visible_at = $3, claim_token = null, claimed_by = null, attempts = greatest(attempts - 1, 0)
                where id = any($1) and claim_token = $2
                """);
            command.Parameters.AddWithValue(messages.Select(message => message.Id).ToArray());
            command.Parameters.AddWithValue(claimToken);
            command.Parameters.AddWithValue(_time.GetUtcNow());
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
        {
            _logger.LogWarning(ex, "Could not release {Count} scheduled messages; their leases will expire", messages.Length);
        }
    }

    private static async Task RollBackQuietlyAsync(NpgsqlTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
        {
            // The connection is gone; the server has rolled the transaction back itself.
        }
    }
}
