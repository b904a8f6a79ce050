using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Aicc.Handlers.Messaging.Scheduling;

/// <summary>
/// Runs due scheduled messages. Any number of workers (threads, processes, nodes) may run at
/// once: each claims a batch with <c>FOR UPDATE SKIP LOCKED</c> in a short transaction that
/// sets a lease and a fresh claim token, then handles the batch in one transaction with a
/// savepoint per message. Each message first re-locks its row under that token (fencing: a
/// worker whose lease ran out and was re-claimed finds nothing and skips it); its row is
/// deleted in the same transaction as its handler's effects. So a message's database effects
/// and its completion commit together or not at all, with one commit per batch.
/// </summary>
public sealed partial class ScheduledMessageWorker
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ScheduledMessageHandlers _handlers;
    private readonly ScheduledMessageWorkerOptions _options;
    private readonly TimeProvider _time;
    private const int MessagesPerTransaction = 32;
    private readonly ILogger _logger;
    private long _completed;
    private long _failed;
    private long _deadLettered;
    private long _lostClaims;

    public ScheduledMessageWorker(
        NpgsqlDataSource dataSource,
        ScheduledMessageHandlers handlers,
        ScheduledMessageWorkerOptions? options = null,
        TimeProvider? time = null,
        ILogger? logger = null)
    {
        _dataSource = dataSource;
        _handlers = handlers;
        _options = options ?? new ScheduledMessageWorkerOptions();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        if (_handlers.MessageTypes.Count == 0)
        {
            throw new ArgumentException("A worker needs at least one handler.", nameof(handlers));
        }
    }

    public string WorkerId => _options.WorkerId;

    public long Completed => Interlocked.Read(ref _completed);

    public long Failed => Interlocked.Read(ref _failed);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Claims this worker lost to another after its lease ran out (or to a cancel).</summary>
    public long LostClaims => Interlocked.Read(ref _lostClaims);

    /// <summary>
    /// Runs until cancelled: claims and handles due messages, then sleeps until the next due
    /// time, a NOTIFY about an earlier one, or the poll interval, whichever comes first.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var wakeUp = new NotificationWakeUp(_dataSource, MessageScheduler.Channel, _logger);
        await wakeUp.StartAsync();
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan sleep;
            try
            {
                var claimed = await ProcessDueAsync(cancellationToken);
                if (claimed >= _options.BatchSize)
                {
                    continue;
                }

                sleep = PollDelay.After(await NextVisibleAtAsync(cancellationToken), _time.GetUtcNow(), _options.PollInterval, mayRunAgainAtOnce: claimed > 0);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A background worker must outlive a database restart or a bad round.
                _logger.LogWarning(ex, "Scheduled message worker {WorkerId} failed a round; trying again after the poll interval", _options.WorkerId);
                sleep = _options.PollInterval;
            }

            await wakeUp.WaitAsync(sleep, cancellationToken);
        }
    }

    /// <summary>Claims one batch of messages due now and handles them; returns how many were claimed.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        var claimToken = Guid.NewGuid();
        var claimed = await ClaimAsync(claimToken, cancellationToken);
        // Each chunk is one transaction with a savepoint per message; more than 64 written
        // subtransactions in one transaction would overflow PostgreSQL's per-backend cache and
        // slow every other session's snapshots.
        var chunks = claimed.Chunk(MessagesPerTransaction).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            try
            {
                await HandleChunkAsync(chunks[i], claimToken, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                foreach (var unstarted in chunks.Skip(i + 1))
                {
                    await ReleaseAsync(unstarted, claimToken);
                }

                throw;
            }
        }

        return claimed.Count;
    }

    /// <summary>The earliest time any message this worker can handle becomes visible.</summary>
    public async Task<DateTimeOffset?> NextVisibleAtAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "select min(visible_at) from scheduled_messages where message_type = any($1)");
        command.Parameters.AddWithValue(_handlers.MessageTypes.ToArray());
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    private async Task<List<ScheduledMessage>> ClaimAsync(Guid claimToken, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var command = _dataSource.CreateCommand("""
            with due as (
                select id from scheduled_messages
                where visible_at <= $1 and message_type = any($2)
                order by visible_at
                limit $3
                for update skip locked
            )
            update scheduled_messages m
            set visible_at = $4, claim_token = $5, claimed_by = $6, attempts = m.attempts + 1
            from due
            where m.id = due.id
            returning m.id, m.tenant, m.message_type, m.payload::text, m.due_at, m.dedupe_key, m.attempts
            """);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(_handlers.MessageTypes.ToArray());
        command.Parameters.AddWithValue(_options.BatchSize);
        command.Parameters.AddWithValue(now + _options.Lease);
        command.Parameters.AddWithValue(claimToken);
        command.Parameters.AddWithValue(_options.WorkerId);
        var claimed = new List<ScheduledMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new ScheduledMessage(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt32(6)));
        }

        // Oldest first, as claimed; the update's RETURNING order is not defined.
        claimed.Sort((a, b) => a.DueAt.CompareTo(b.DueAt));
        return claimed;
    }
}
