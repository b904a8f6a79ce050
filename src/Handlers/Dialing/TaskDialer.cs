using System.Collections.Immutable;
using System.Threading.Channels;
using Aicc.Domain.Calls;
using Aicc.Domain.Dialing;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Security;
using Aicc.Telephony.CallControl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using LegEvent = Aicc.Telephony.CallControl.CallEvent;

namespace Aicc.Handlers.Dialing;

/// <summary>
/// Dials one task's customers. Exactly one dialer runs a task at a time across processes: it
/// holds the task's session-level advisory lock, which PostgreSQL drops with the holder's
/// connection, so another process takes over when the holder dies. Every attempt is appended
/// (call created, dialing started with attempt, line and caller id) before the INVITE leaves,
/// under an id derived from (task, customer, attempt), so the same attempt can never be written
/// twice; a new leader first closes every attempt its predecessor left open. Each close plans
/// the customer's next attempt (redial policy) in the same transaction, as a scheduled message
/// that makes the customer due again: no attempt is dialed twice and none is lost.
/// </summary>
public sealed partial class TaskDialer
{
    private const string LockKeySql = "hashtextextended('aicc.dialer:' || $1 || ':' || $2, 0)";

    private readonly PostgresEventStore _store;
    private readonly CallEventHub _hub;
    private readonly TaskDialerOptions _options;
    private readonly IAnsweredCallRouter? _router;
    private readonly LineSecrets? _secrets;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TaskAttempts _attempts;
    private readonly string _tenant;
    private readonly Channel<LegEvent> _inbox = Channel.CreateUnbounded<LegEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<CallLegId, LiveCall> _live = [];
    private readonly Queue<DateTimeOffset> _recentStarts = new();
    private PacingStatistics _statistics;

    /// <summary>Holds the lock while this dialer leads the task.</summary>
    private NpgsqlConnection? _leadership;

    public TaskDialer(
        PostgresEventStore store,
        CallEventHub hub,
        TaskDialerOptions options,
        IAnsweredCallRouter? router = null,
        TimeProvider? time = null,
        ILogger? logger = null,
        LineSecrets? secrets = null)
    {
        _store = store;
        _hub = hub;
        _options = options;
        _router = router;
        _secrets = secrets;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _attempts = new TaskAttempts(store);
        _tenant = Deciders.TenantKey(options.TenantId);
        _statistics = PacingStatistics.Initial(options.Pacing);
    }

    /// <summary>True while this instance holds the task's lock.</summary>
    public bool IsLeader => _leadership is not null;

    /// <summary>Calls placed by this instance and not yet hung up.</summary>
    public int LiveCalls => _live.Count;

    /// <summary>What this dialer has learned of the task's calls (folded from history at start, then live).</summary>
    public PacingStatistics Statistics => _statistics;

    private ICallControl Control => _hub.Control;

    /// <summary>
    /// Waits for the task's lock, reconciles what a previous leader left open, then dials every
    /// customer that is due (first attempts of sealed batches, redials the scheduler made due)
    /// until <paramref name="cancellationToken"/> stops it; on the way out the calls it still
    /// carries are hung up and closed.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!await TryLeadAsync(cancellationToken))
        {
            await Task.Delay(_options.LeadershipRetry, _time, cancellationToken);
        }

        try
        {
            (_statistics, var wrapSeq) = await PacingHistory.LoadAsync(_store, _options, cancellationToken);
            await ReconcileAsync(cancellationToken);
            var work = new Queue<DueAttempt>();
            var nextLook = DateTimeOffset.MinValue;
            var nextWrapLook = DateTimeOffset.MinValue;
            while (!cancellationToken.IsCancellationRequested)
            {
                await EnsureLeadingAsync(cancellationToken);
                while (_inbox.Reader.TryRead(out var e))
                {
                    await HandleAsync(e, cancellationToken);
                }

                var now = _time.GetUtcNow();
                if (work.Count == 0 && now >= nextLook)
                {
                    work = new Queue<DueAttempt>(await DueAttemptsAsync(cancellationToken));
                    nextLook = now + _options.WorkRefresh;
                }

                if (now >= nextWrapLook)
                {
                    // Wrap-up ends arrive from the agents' streams, not from our legs: polled.
                    var (wraps, last) = await PacingHistory.WrapUpsSinceAsync(_store, _options, wrapSeq, cancellationToken);
                    _statistics = wraps.Aggregate(_statistics, (s, seconds) => s.WrapEnded(seconds));
                    wrapSeq = last;
                    nextWrapLook = now + _options.WorkRefresh;
                }

                var toPlace = work.Count == 0 ? 0 : Pacer.Decide(_options.Pacing, await SnapshotAsync(cancellationToken), _statistics).CallsToPlace;
                var placed = 0;
                for (var i = 0; i < toPlace && work.Count > 0; i++)
                {
                    var due = work.Dequeue();
                    var placement = await DialAsync(due, cancellationToken);
                    if (placement == Placement.LineFull)
                    {
                        // Not now, and not a failed customer: first in line at the next round.
                        work = new Queue<DueAttempt>(work.Prepend(due));
                        break;
                    }

                    placed += placement == Placement.Dialed ? 1 : 0;
                }

                if (placed == 0)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    idle.CancelAfter(_options.IdleWait);
                    try
                    {
                        await _inbox.Reader.WaitToReadAsync(idle.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ReleaseAsync();
        }
    }

    /// <summary>Takes the task's lock if no other dialer holds it; the lock lives as long as this connection.</summary>
    public async Task<bool> TryLeadAsync(CancellationToken cancellationToken)
    {
        if (_leadership is not null)
        {
            return true;
        }

        var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var tryLock = new NpgsqlCommand($"select pg_try_advisory_lock({LockKeySql})", connection);
        tryLock.Parameters.AddWithValue(_tenant);
        tryLock.Parameters.AddWithValue(_options.TaskId.ToString());
        if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
        {
            await connection.DisposeAsync();
            return false;
        }

        _leadership = connection;
        return true;
    }

    /// <summary>
    /// The attempts due now: every sealed customer with no attempt and no contact stream yet gets
    /// attempt 1; a customer whose newest contact event made attempt N due, and whose attempt N
    /// does not exist, gets attempt N.
    /// </summary>
    private async Task<IReadOnlyList<DueAttempt>> DueAttemptsAsync(CancellationToken cancellationToken)
    {
        var attempts = await _attempts.AttemptsAsync(_options.TenantId, _options.TaskId, cancellationToken);
        var contacts = await _attempts.ContactsAsync(_options.TenantId, _options.TaskId, cancellationToken);
        var customers = await _attempts.SealedCustomersAsync(_options.TenantId, _options.TaskId, cancellationToken);
        var existing = attempts.Select(a => a.CallId).ToHashSet();
        var started = attempts.Select(a => a.CustomerId).Concat(contacts.Select(c => c.CustomerId)).ToHashSet();
        var due = contacts
            .Where(c => c.Last is Domain.Dialing.Contacts.DialingContactEvent.RedialDue d && !existing.Contains(d.CallId))
            .ToDictionary(c => c.CustomerId, c => ((Domain.Dialing.Contacts.DialingContactEvent.RedialDue)c.Last).Attempt);
        var result = new List<DueAttempt>();
        foreach (var customer in customers)
        {
            if (due.TryGetValue(customer.CustomerId, out var attempt))
            {
                result.Add(new DueAttempt(customer, attempt));
            }
            else if (started.Add(customer.CustomerId))
            {
                result.Add(new DueAttempt(customer, 1));
            }
        }

        return result;
    }

    private async Task<DialerSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        while (_recentStarts.TryPeek(out var at) && now - at >= TimeSpan.FromMinutes(1))
        {
            _recentStarts.Dequeue();
        }

        var ringing = _live.Values.Where(l => !l.Answered).Select(l => (now - l.StartedAt).TotalSeconds).ToImmutableArray();
        var answered = _live.Values.Count(l => l.Answered);
        var (ready, busy) = _options.SkillGroup is { } group && _options.Pacing.Mode != PacingMode.Agentless
            ? await AgentFloor.ReadAsync(_store.DataSource, _tenant, group, now, cancellationToken)
            : (0, ImmutableArray<BusyAgent>.Empty);
        return new DialerSnapshot(
            now,
            ReadyAgents: ready,
            BusyAgents: busy,
            RingingCallAges: ringing,
            AnsweredWaiting: 0,
            // The line's own count, so other tasks' and other nodes' calls on it are counted too.
            FreeLineChannels: Math.Min(_options.LineChannels - _live.Count, await FreeLineChannelsAsync(cancellationToken)),
            FreeRobotSlots: Math.Max(0, _options.RobotSlots - answered),
            CallsStartedLastMinute: _recentStarts.Count);
    }

    /// <summary>A query on the lock's own connection: if that session is gone, so is the lock, and this instance must stop dialing.</summary>
    private async Task EnsureLeadingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var ping = new NpgsqlCommand("select 1", _leadership);
            await ping.ExecuteScalarAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw await LostLeadershipAsync(e);
        }
    }

    private async Task<Exception> LostLeadershipAsync(NpgsqlException cause)
    {
        if (_leadership is { } broken)
        {
            _leadership = null;
            await broken.DisposeAsync();
        }

        return new InvalidOperationException($"The dialer lost the lock of task {_options.TaskId}.", cause);
    }

    /// <summary>
    /// Hangs up the calls this instance still carries and closes them before giving up the lock,
    /// so the next leader finds nothing of ours open.
    /// </summary>
    private async Task ReleaseAsync()
    {
        using var grace = new CancellationTokenSource(_options.ShutdownGrace);
        foreach (var (leg, live) in _live.ToList())
        {
            _live[leg] = live with { Stopping = true };
            try
            {
                await Control.HangUpAsync(leg);
            }
            catch (InvalidOperationException)
            {
                // The leg ended on its own meanwhile; its Hungup event is on the way.
            }
        }

        try
        {
            while (_live.Count > 0)
            {
                await HandleAsync(await _inbox.Reader.ReadAsync(grace.Token), grace.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException or InvalidOperationException)
        {
        }

        // Legs that did not report within the grace were asked to hang up: closed here while we
        // still lead, so a paused or cancelled task (which has no next leader to reconcile it)
        // does not keep their line channels. What cannot be written now is the next leader's.
        using var closing = new CancellationTokenSource(_options.ShutdownGrace);
        foreach (var live in _live.Values.ToList())
        {
            try
            {
                await CloseAsync(live.CallId, live.CustomerId, live.Attempt, live.Called,
                    new CallCommand.HangUp(live.CallId, HangUpParty.Platform, CloseReason.ChannelError, _time.GetUtcNow()), closing.Token, fenced: true);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or NpgsqlException or WrongExpectedVersionException)
            {
                _logger.LogWarning(e, "Call {CallId} of task {Task} is left for the next leader to close", live.CallId, _options.TaskId);
            }
        }

        foreach (var live in _live.Values)
        {
            live.Watch.Dispose();
        }

        _live.Clear();
        await ReleaseLeadershipAsync();
    }

    /// <summary>Gives up the task's lock (also after <see cref="TryLeadAsync"/> without <see cref="RunAsync"/>) so another dialer may lead.</summary>
    public async ValueTask ReleaseLeadershipAsync()
    {
        if (_leadership is not null)
        {
            try
            {
                // A pooled connection may outlive this close; the lock must not.
                await using var unlock = new NpgsqlCommand("select pg_advisory_unlock_all()", _leadership);
                await unlock.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // The session is already gone, and its lock with it.
            }

            await _leadership.DisposeAsync();
            _leadership = null;
        }
    }

    /// <summary>A customer's attempt that may be dialed now.</summary>
    private sealed record DueAttempt(Domain.CustomerBatches.TaskCustomer Customer, int Attempt);

    /// <summary>A call this dialer placed and still watches.</summary>
    private sealed record LiveCall(
        Guid CallId,
        Guid CustomerId,
        int Attempt,
        string Called,
        IReadOnlyDictionary<string, string> Variables,
        DateTimeOffset StartedAt,
        IDisposable Watch,
        bool Answered = false,
        DateTimeOffset? AnsweredAt = null,
        bool Stopping = false);
}
