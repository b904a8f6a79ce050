using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aicc.Handlers.Messaging.Outbox;

public sealed partial class OutboxRelay
{
    /// <summary>Delivers one message; true when the destination accepted it (marking comes later, per batch).</summary>
    private async Task<bool> DeliverAsync(OutboxMessage message, Guid claimToken, CancellationToken cancellationToken)
    {
        if (message.Attempt > _options.Retry.MaxAttempts)
        {
            await RecordFailureAsync(
                message,
                claimToken,
                $"abandoned: claimed {message.Attempt - 1} times without being marked delivered (relay crashed or lease too short)",
                cancellationToken);
            return false;
        }

        var destination = _destinations.Find(message.Destination)
            ?? throw new InvalidOperationException($"Claimed a message for unknown destination {message.Destination}.");
        try
        {
            await destination.DeliverAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: the lease runs out and another relay delivers it (perhaps again).
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Outbox message {MessageId} to {Destination} (tenant {Tenant}) failed attempt {Attempt}",
                message.Id, message.Destination, message.Tenant, message.Attempt);
            await RecordFailureAsync(message, claimToken, $"{ex.GetType().Name}: {ex.Message}", cancellationToken);
            return false;
        }

        // Delivered; from here on a crash means a duplicate delivery, never a lost one.
        return true;
    }

    private async Task MarkDeliveredAsync(Guid[] ids, Guid claimToken)
    {
        if (ids.Length == 0)
        {
            return;
        }

        await using var mark = _dataSource.CreateCommand("""
            update outbox_messages
            set delivered_at = $3, claim_token = null, claimed_by = null, last_error = null
            where id = any($1) and claim_token = $2
            """);
        mark.Parameters.AddWithValue(ids);
        mark.Parameters.AddWithValue(claimToken);
        mark.Parameters.AddWithValue(_time.GetUtcNow());
        var marked = await mark.ExecuteNonQueryAsync(CancellationToken.None);
        if (marked < ids.Length)
        {
            _logger.LogInformation(
                "{Count} outbox messages were re-claimed before {RelayId} marked them delivered; they may arrive twice",
                ids.Length - marked, _options.RelayId);
        }

        Interlocked.Add(ref _delivered, ids.Length);
    }

    private async Task RecordFailureAsync(OutboxMessage message, Guid claimToken, string error, CancellationToken cancellationToken)
    {
        var lastError = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        var now = _time.GetUtcNow();
        var exhausted = _options.Retry.IsExhausted(message.Attempt);
        NpgsqlCommand command;
        if (exhausted)
        {
            command = _dataSource.CreateCommand("""
                with moved as (
                    delete from outbox_messages where id = $1 and claim_token = $2 returning *
                )
                insert into outbox_dead_letters
                    (id, tenant, destination, ordering_key, payload, headers, attempts, last_error, dead_at, created_at)
                select id, tenant, destination, ordering_key, payload, headers, attempts, $3, $4, created_at from moved
                """);
            command.Parameters.AddWithValue(message.Id);
            command.Parameters.AddWithValue(claimToken);
            command.Parameters.AddWithValue(lastError);
            command.Parameters.AddWithValue(now);
        }
        else
        {
            command = _dataSource.CreateCommand("""
                update outbox_messages
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
                    return;
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                _logger.LogWarning(ex, "Could not record the failure of outbox message {MessageId}", message.Id);
                return;
            }
        }

        if (exhausted)
        {
            Interlocked.Increment(ref _deadLettered);
            _logger.LogError("Outbox message {MessageId} to {Destination} (tenant {Tenant}) dead-lettered after {Attempts} attempts: {Error}",
                message.Id, message.Destination, message.Tenant, message.Attempt, lastError);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }
}
