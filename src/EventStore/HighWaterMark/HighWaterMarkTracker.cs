using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Aicc.EventStore;

/// <summary>
/// Computes the safe high-water mark of the global stream: the highest position at or below
/// which every sequence number is either committed or proven dead. Sequence numbers are taken
/// outside transactional order, so position N+1 can be visible while N is still being written;
/// reading past N would make a subscriber skip N for ever. See docs/adr/0002.
/// </summary>
/// <remarks>
/// The proof that a gap is dead: when a snapshot S1 sees position M, every lower number was
/// taken before M by a transaction inside es_append, which writes the stream row (taking its
/// xid and a lock on es_streams it keeps to the end) before it takes a number. The appenders
/// holding that lock just after S1 (their xids come from pg_locks, which every role may read
/// and which also lists prepared transactions) include every holder still running then; a holder that
/// ended before is visible or rolled back. Once a later snapshot S2 lists none of those
/// appenders as in progress, a number below M still missing in S2 was rolled back and can
/// never appear. Only appenders of this database count, so unrelated long transactions
/// elsewhere in the cluster do not hold the proof up.
/// </remarks>
public sealed class HighWaterMarkTracker
{
    // One statement, so the snapshot, the contiguity check and the appender list are consistent:
    // the appender list is read after the statement's snapshot was taken.
    private const string ProbeSql = """
        with probe as materialized (
            select pg_current_snapshot()::text as snapshot,
                   exists (select 1 from es_events where seq_id = $1 + 1) as next_exists,
                   (select e.seq_id from es_events e
                     where e.seq_id > $1 and not exists (select 1 from es_events n where n.seq_id = e.seq_id + 1)
                     order by e.seq_id limit 1) as run_end,
                   (select max(seq_id) from es_events) as max_seq)
        select snapshot, next_exists, run_end, max_seq,
               case when max_seq > (case when next_exists then run_end else $1 end) then
                   (select coalesce(array_agg(distinct x.transactionid::text), '{}')
                      from pg_locks l
                      join pg_locks x on x.virtualtransaction = l.virtualtransaction
                                     and x.locktype = 'transactionid' and x.mode = 'ExclusiveLock' and x.granted
                     where l.locktype = 'relation' and l.relation = 'es_streams'::regclass
                       and l.database = (select oid from pg_database where datname = current_database()))
               end as appenders
        from probe
        """;

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _safe;
    private long _persisted = -1;
    private DateTimeOffset _persistedAt;
    private Observation? _pending;
    private long _stuckGap = -1;
    private DateTimeOffset _stuckSince;

    /// <param name="staleGapTimeout">
    /// Skip a gap that is not proven dead after this long anyway (logged as a warning). Only a
    /// write transaction that stays open longer than this can then lose events to subscribers;
    /// null waits for the proof for ever.
    /// </param>
    public HighWaterMarkTracker(TimeSpan? staleGapTimeout = null, ILogger? logger = null, TimeProvider? time = null)
    {
        StaleGapTimeout = staleGapTimeout;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan? StaleGapTimeout { get; }

    /// <summary>Whether the last refresh saw events beyond the safe position (a gap that may still fill).</summary>
    public bool HasGap { get; private set; }

    /// <summary>The last computed safe position (0 before the first refresh).</summary>
    public long Current => Interlocked.Read(ref _safe);

    /// <summary>Recomputes the safe position on <paramref name="connection"/> (outside any transaction) and returns it.</summary>
    public async Task<long> RefreshAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_persisted < 0)
            {
                await using var load = new NpgsqlCommand("select position from es_high_water_mark where id = 1", connection);
                _persisted = (long?)await load.ExecuteScalarAsync(cancellationToken) ?? 0;
                _persistedAt = _time.GetUtcNow();
                _safe = Math.Max(_safe, _persisted);
            }

            var skipped = false;
            var rechecked = false;
            for (var round = 0; round < 1000; round++)
            {
                var probe = await ProbeAsync(connection, _safe, cancellationToken);
                HasGap = probe.MaxSeq > _safe && probe.MaxSeq > (probe.NextExists ? probe.RunEnd : _safe);
                var contiguousEnd = probe.NextExists ? probe.RunEnd : _safe;
                if (probe.MaxSeq <= contiguousEnd)
                {
                    Volatile.Write(ref _safe, Math.Max(_safe, contiguousEnd));
                    _pending = null;
                    break;
                }

                var gap = contiguousEnd + 1;
                Volatile.Write(ref _safe, contiguousEnd);
                if (_pending is { } pending && pending.MaxSeen > gap && !pending.Appenders.Overlaps(probe.InProgress))
                {
                    _logger.LogInformation(
                        "Skipping dead sequence gap(s) between {FirstGap} and {Below}: every transaction that could fill them has ended",
                        gap, pending.MaxSeen);
                    Volatile.Write(ref _safe, pending.MaxSeen - 1);
                    _pending = null;
                    skipped = true;
                    continue;
                }

                if (_pending is null || _pending.MaxSeen <= gap)
                {
                    _pending = new Observation(probe.MaxSeq, probe.Appenders);
                    if (!rechecked)
                    {
                        // Gaps left by long-finished rollbacks are proven by the very next probe.
                        rechecked = true;
                        continue;
                    }
                }

                if (StaleGapTimeout is { } timeout)
                {
                    var now = _time.GetUtcNow();
                    if (_stuckGap != gap)
                    {
                        _stuckGap = gap;
                        _stuckSince = now;
                    }
                    else if (now - _stuckSince >= timeout)
                    {
                        _logger.LogWarning(
                            "Skipping sequence gap {Gap} that is not proven dead after {Timeout}: a transaction holding it is still open or the proof is blocked by a long-running transaction",
                            gap, timeout);
                        Volatile.Write(ref _safe, gap);
                        _stuckGap = -1;
                        skipped = true;
                        continue;
                    }
                }

                break;
            }

            await PersistAsync(connection, skipped, cancellationToken);
            return _safe;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task PersistAsync(NpgsqlConnection connection, bool force, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_safe <= _persisted || (!force && now - _persistedAt < TimeSpan.FromSeconds(2)))
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            "update es_high_water_mark set position = greatest(position, $1), updated = now() where id = 1", connection);
        command.Parameters.AddWithValue(_safe);
        await command.ExecuteNonQueryAsync(cancellationToken);
        _persisted = _safe;
        _persistedAt = now;
    }

    private static async Task<Probe> ProbeAsync(NpgsqlConnection connection, long safe, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ProbeSql, connection);
        command.Parameters.AddWithValue(safe);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var snapshot = reader.GetString(0);
        var nextExists = reader.GetBoolean(1);
        var runEnd = reader.IsDBNull(2) ? safe : reader.GetInt64(2);
        var maxSeq = reader.IsDBNull(3) ? 0 : reader.GetInt64(3);
        var appenders = reader.IsDBNull(4)
            ? []
            : reader.GetFieldValue<string[]>(4).Select(xid => uint.Parse(xid, CultureInfo.InvariantCulture)).ToHashSet();
        return new Probe(ParseInProgress(snapshot), appenders, nextExists, runEnd, maxSeq);
    }

    /// <summary>
    /// The in-progress xids of a <c>pg_snapshot</c> text (<c>xmin:xmax:xip,xip</c>), cut to the
    /// 32-bit xids that pg_stat_activity shows (two running transactions never share those).
    /// </summary>
    internal static HashSet<uint> ParseInProgress(string snapshot)
    {
        var parts = snapshot.Split(':');
        var set = new HashSet<uint>();
        if (parts.Length == 3 && parts[2].Length > 0)
        {
            foreach (var xid in parts[2].Split(','))
            {
                set.Add((uint)(ulong.Parse(xid, CultureInfo.InvariantCulture) & 0xFFFF_FFFF));
            }
        }

        return set;
    }

    private sealed record Observation(long MaxSeen, HashSet<uint> Appenders);

    private readonly record struct Probe(HashSet<uint> InProgress, HashSet<uint> Appenders, bool NextExists, long RunEnd, long MaxSeq);
}
