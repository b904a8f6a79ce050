using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Aicc.Handlers.Messaging.Outbox;

/// <summary>
/// Delivers committed outbox messages at least once. It claims a batch with
/// <c>FOR UPDATE SKIP LOCKED</c> and a lease in a short transaction, delivers outside any
/// transaction (an HTTP call must not hold row locks), then marks each message delivered.
/// A relay that dies between delivery and marking leaves the claim to expire, and the message
/// is delivered again: receivers de-duplicate on the message id. A message whose ordering key
/// has an earlier undelivered message is not claimed, so one key's messages arrive in order.
/// </summary>
public sealed partial class OutboxRelay
{
    private const int MaxErrorLength = 4000;
    private readonly NpgsqlDataSource _dataSource;
    private readonly OutboxDestinations _destinations;
    private readonly OutboxRelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _delivered;
    private long _failed;
    private long _deadLettered;
    private long _claimRounds;

    public OutboxRelay(
        NpgsqlDataSource dataSource,
        OutboxDestinations destinations,
        OutboxRelayOptions? options = null,
        TimeProvider? time = null,
        ILogger? logger = null)
    {
        _dataSource = dataSource;
        _destinations = destinations;
        _options = options ?? new OutboxRelayOptions();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        if (_destinations.Names.Count == 0)
        {
            throw new ArgumentException("A relay needs at least one destination.", nameof(destinations));
        }
    }

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failed => Interlocked.Read(ref _failed);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>How many times this relay has looked for deliverable messages (an idle relay should barely move it).</summary>
    public long ClaimRounds => Interlocked.Read(ref _claimRounds);

    /// <summary>Runs until cancelled: delivers, then sleeps until a NOTIFY, the next retry or the poll interval.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var wakeUp = new NotificationWakeUp(_dataSource, Outbox.Channel, _logger);
        await wakeUp.StartAsync();
        var nextPurge = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan sleep;
            try
            {
                if (_time.GetUtcNow() >= nextPurge)
                {
                    await OutboxQueries.PurgeDeliveredAsync(_dataSource, _time.GetUtcNow() - _options.DeliveredRetention, cancellationToken);
                    nextPurge = _time.GetUtcNow() + TimeSpan.FromMinutes(10);
                }

                // After a non-empty batch, look again at once: delivering it may have freed the
                // next message of each ordering key, so a short batch does not mean "no more".
                if (await DeliverDueAsync(cancellationToken) > 0)
                {
                    continue;
                }

                sleep = PollDelay.After(await NextVisibleAtAsync(cancellationToken), _time.GetUtcNow(), _options.PollInterval);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A background worker must outlive a database restart or a bad round.
                _logger.LogWarning(ex, "Outbox relay {RelayId} failed a round; trying again after the poll interval", _options.RelayId);
                sleep = _options.PollInterval;
            }

            await wakeUp.WaitAsync(sleep, cancellationToken);
        }
    }

    /// <summary>Claims one batch of deliverable messages and delivers them; returns how many were claimed.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var claimToken = Guid.NewGuid();
        var claimed = await ClaimAsync(claimToken, cancellationToken);
        var delivered = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        try
        {
            await Parallel.ForEachAsync(
                claimed,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentDeliveries, CancellationToken = cancellationToken },
                async (message, ct) =>
                {
                    if (await DeliverAsync(message, claimToken, ct))
                    {
                        delivered.Add(message.Id);
                    }
                });
        }
        finally
        {
            // One statement (and one commit) for the whole batch; a crash before it only means
            // that the batch is delivered again.
            await MarkDeliveredAsync([.. delivered], claimToken);
        }

        return claimed.Count;
    }

    /// <summary>
    /// The earliest time a pending message (for a known destination) becomes deliverable. Only
    /// the first undelivered message of each ordering key counts: the ones behind it wait for
    /// it, not for their own visible_at (counting them would make a relay spin while the head
    /// of their key backs off).
    /// </summary>
    public async Task<DateTimeOffset?> NextVisibleAtAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            select min(m.visible_at) from outbox_messages m
            where m.delivered_at is null
              and m.destination = any($1)
              and (m.ordering_key is null or not exists (
                    select 1 from outbox_messages earlier
                    where earlier.ordering_key = m.ordering_key
                      and earlier.delivered_at is null
                      and earlier.position < m.position))
            """);
        command.Parameters.AddWithValue(_destinations.Names.ToArray());
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    private async Task<List<OutboxMessage>> ClaimAsync(Guid claimToken, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _claimRounds);
        var now = _time.GetUtcNow();
        await using var command = _dataSource.CreateCommand("""
            with due as (
                select m.position from outbox_messages m
                where m.delivered_at is null
                  and m.visible_at <= $1
                  and m.destination = any($2)
                  and (m.ordering_key is null or not exists (
                        select 1 from outbox_messages earlier
                        where earlier.ordering_key = m.ordering_key
                          and earlier.delivered_at is null
                          and earlier.position < m.position))
                order by m.position
                limit $3
                for update skip locked
            )
            update outbox_messages m
            set visible_at = $4, claim_token = $5, claimed_by = $6, attempts = m.attempts + 1
            from due
            where m.position = due.position
            returning m.id, m.position, m.tenant, m.destination, m.ordering_key, m.payload, m.headers::text, m.attempts, m.created_at
            """);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(_destinations.Names.ToArray());
        command.Parameters.AddWithValue(_options.BatchSize);
        command.Parameters.AddWithValue(now + _options.Lease);
        command.Parameters.AddWithValue(claimToken);
        command.Parameters.AddWithValue(_options.RelayId);
        var claimed = new List<OutboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new OutboxMessage(
                reader.GetGuid(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6)) ?? [],
                reader.GetInt32(7),
                reader.GetFieldValue<DateTimeOffset>(8)));
        }

        claimed.Sort((a, b) => a.Position.CompareTo(b.Position));
        return claimed;
    }
}
