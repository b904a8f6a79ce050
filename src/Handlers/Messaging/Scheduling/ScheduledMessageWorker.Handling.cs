using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aicc.Handlers.Messaging.Scheduling;

public sealed partial class ScheduledMessageWorker
{
    private const int MaxErrorLength = 4000;

    private async Task HandleAsync(ScheduledMessage message, Guid claimToken, CancellationToken cancellationToken)
    {
        var handler = _handlers.Find(message.MessageType)
            ?? throw new InvalidOperationException($"Claimed {message.MessageType} without a handler.");
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var fence = new NpgsqlCommand(
            "select 1 from scheduled_messages where id = $1 and claim_token = $2 for update", connection, transaction))
        {
            fence.Parameters.AddWithValue(message.Id);
            fence.Parameters.AddWithValue(claimToken);
            if (await fence.ExecuteScalarAsync(cancellationToken) is null)
            {
                Interlocked.Increment(ref _lostClaims);
                _logger.LogInformation(
                    "Scheduled message {MessageId} ({MessageType}) was re-claimed or cancelled before {WorkerId} started it",
                    message.Id, message.MessageType, _options.WorkerId);
                return;
            }
        }

        try
        {
            await handler(new ScheduledMessageContext(message, connection, transaction, _time.GetUtcNow()), cancellationToken);
            await using (var complete = new NpgsqlCommand(
                "delete from scheduled_messages where id = $1 and claim_token = $2", connection, transaction))
            {
                complete.Parameters.AddWithValue(message.Id);
                complete.Parameters.AddWithValue(claimToken);
                await complete.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            Interlocked.Increment(ref _completed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await RollBackQuietlyAsync(transaction);
            await ReleaseAsync(message, claimToken);
            throw;
        }
        catch (Exception ex)
        {
            await RollBackQuietlyAsync(transaction);
            _logger.LogWarning(ex, "Scheduled message {MessageId} ({MessageType}, tenant {Tenant}) failed attempt {Attempt}",
                message.Id, message.MessageType, message.Tenant, message.Attempt);
            await RecordFailureAsync(message, claimToken, $"{ex.GetType().Name}: {ex.Message}", cancellationToken);
        }
    }

    private async Task RecordFailureAsync(ScheduledMessage message, Guid claimToken, string error, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lastError = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        NpgsqlCommand command;
        if (_options.Retry.IsExhausted(message.Attempt))
        {
            command = _dataSource.CreateCommand("""
                with moved as (
                    delete from scheduled_messages where id = $1 and claim_token = $2 returning *
                )
                insert into scheduled_message_dead_letters
                    (id, tenant, message_type, payload, due_at, dedupe_key, attempts, last_error, dead_at, created_at)
                select id, tenant, message_type, payload, due_at, dedupe_key, attempts, $3, $4, created_at from moved
                """);
            command.Parameters.AddWithValue(message.Id);
            command.Parameters.AddWithValue(claimToken);
            command.Parameters.AddWithValue(lastError);
            command.Parameters.AddWithValue(now);
        }
        else
        {
            command = _dataSource.CreateCommand("""
                update scheduled_messages
                set visible_at = $3, claim_token = null, claimed_by = null, last_error = $4
                where id = $1 and claim_token = $2
                """);
            command.Parameters.AddWithValue(message.Id);
            command.Parameters.AddWithValue(claimToken);
            command.Parameters.AddWithValue(now + _options.Retry.DelayAfter(message.Attempt));
            command.Parameters.AddWithValue(lastError);
        }

        await using (command)
        {
            try
            {
                if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    Interlocked.Increment(ref _lostClaims);
                    return;
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                // The lease still runs out, and the next claim counts this attempt anyway.
                _logger.LogWarning(ex, "Could not record the failure of scheduled message {MessageId}", message.Id);
                return;
            }
        }

        if (_options.Retry.IsExhausted(message.Attempt))
        {
            Interlocked.Increment(ref _deadLettered);
            _logger.LogError("Scheduled message {MessageId} ({MessageType}, tenant {Tenant}) dead-lettered after {Attempts} attempts: {Error}",
                message.Id, message.MessageType, message.Tenant, message.Attempt, lastError);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }

    /// <summary>On shutdown, hands an unfinished message back at once instead of waiting for the lease.</summary>
    private async Task ReleaseAsync(ScheduledMessage message, Guid claimToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("""
                update scheduled_messages
                set visible_at = $3, claim_token = null, claimed_by = null, attempts = greatest(attempts - 1, 0)
                where id = $1 and claim_token = $2
                """);
            command.Parameters.AddWithValue(message.Id);
            command.Parameters.AddWithValue(claimToken);
            command.Parameters.AddWithValue(_time.GetUtcNow());
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
        {
            _logger.LogWarning(ex, "Could not release scheduled message {MessageId}; its lease will expire", message.Id);
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
