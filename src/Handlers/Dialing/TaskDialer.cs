using System.Collections.Immutable;
using Aicc.Domain.Calls;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Dialing;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Telephony.CallControl;
using Npgsql;
using LegEvent = Aicc.Telephony.CallControl.CallEvent;

namespace Aicc.Handlers.Dialing;

/// <summary>
/// Dials one task's customers. Exactly one dialer runs a task at a time across processes: it
/// holds the task's session-level advisory lock, which PostgreSQL drops with the holder's
/// connection, so another process takes over when the holder dies. Every attempt is appended
/// (call created, dialing started with attempt, line and caller id) before the INVITE leaves,
/// and a new leader first closes every attempt its predecessor left open, so no customer is
/// dialed twice unseen and no attempt stays without an outcome.
/// </summary>
public sealed class TaskDialer(PostgresEventStore store, ICallControl control, TaskDialerOptions options, TimeProvider? time = null)
{
    private const string LockKeySql = "hashtextextended('aicc.dialer:' || $1 || ':' || $2, 0)";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TaskAttempts _attempts = new(store);
    private readonly string _tenant = Deciders.TenantKey(options.TenantId);
    private readonly Dictionary<CallLegId, LiveCall> _live = [];
    private readonly Queue<DateTimeOffset> _recentStarts = new();

    /// <summary>Holds the lock while this dialer leads the task.</summary>
    private NpgsqlConnection? _leadership;

    /// <summary>True while this instance holds the task's lock.</summary>
    public bool IsLeader => _leadership is not null;

    /// <summary>Calls placed by this instance and not yet hung up.</summary>
    public int LiveCalls => _live.Count;

    /// <summary>
    /// Waits for the task's lock, reconciles what a previous leader left open, then dials until
    /// every sealed customer has an attempt and <paramref name="cancellationToken"/> stops it; on
    /// the way out the calls it still carries are hung up and closed.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!await TryLeadAsync(cancellationToken))
        {
            await Task.Delay(options.LeadershipRetry, _time, cancellationToken);
        }

        try
        {
            await ReconcileAsync(cancellationToken);
            var pending = await PendingCustomersAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                await EnsureLeadingAsync(cancellationToken);
                while (control.Events.TryRead(out var e))
                {
                    await HandleAsync(e, cancellationToken);
                }

                if (pending.Count == 0 && _live.Count == 0)
                {
                    // New batches may be sealed while the task runs.
                    pending = await PendingCustomersAsync(cancellationToken);
                }

                var toPlace = pending.Count == 0 ? 0 : Pacer.Decide(options.Pacing, Snapshot(), PacingStatistics.Initial(options.Pacing)).CallsToPlace;
                for (var i = 0; i < toPlace && pending.Count > 0; i++)
                {
                    await DialAsync(pending.Dequeue(), cancellationToken);
                }

                if (toPlace == 0)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    idle.CancelAfter(options.IdleWait);
                    try
                    {
                        await control.Events.WaitToReadAsync(idle.Token);
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

        var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var tryLock = new NpgsqlCommand($"select pg_try_advisory_lock({LockKeySql})", connection);
        tryLock.Parameters.AddWithValue(_tenant);
        tryLock.Parameters.AddWithValue(options.TaskId.ToString());
        if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
        {
            await connection.DisposeAsync();
            return false;
        }

        _leadership = connection;
        return true;
    }

    /// <summary>
    /// Closes every attempt of the task that a previous leader created or dialed and never saw
    /// end. Its leg belonged to a process that is gone, so nothing will report on it again: it is
    /// closed as failed (channel error) for the redial policy to judge, never dialed again as is.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var leadership = _leadership ?? throw new InvalidOperationException("Only the task's leading dialer reconciles its attempts.");
        var closed = 0;
        foreach (var open in (await _attempts.AttemptsAsync(options.TenantId, options.TaskId, cancellationToken)).Where(a => !a.Ended))
        {
            if (_live.Values.Any(l => l.CallId == open.CallId))
            {
                continue;
            }

            // On the lock's session, like new attempts: an instance that lost the lock must not
            // close the calls of the dialer that took over.
            try
            {
                await using var transaction = await leadership.BeginTransactionAsync(cancellationToken);
                var result = await CommandRunner.RunAsync(store.OpenSession(leadership, transaction), store, Deciders.Call, _tenant,
                    Deciders.Call.StreamId(open.CallId),
                    new CallCommand.HangUp(open.CallId, HangUpParty.Platform, CloseReason.ChannelError, _time.GetUtcNow()),
                    cancellationToken: cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                closed += result.Events.Count > 0 ? 1 : 0;
            }
            catch (NpgsqlException e)
            {
                throw await LostLeadershipAsync(e);
            }
        }

        return closed;
    }

    private async Task<Queue<TaskCustomer>> PendingCustomersAsync(CancellationToken cancellationToken)
    {
        // One attempt per customer in this slice: any call stream for a customer (ended or not)
        // means it was handled; redials per the task's policy come on top of this.
        var attempted = (await _attempts.AttemptsAsync(options.TenantId, options.TaskId, cancellationToken)).Select(a => a.CustomerId).ToHashSet();
        var customers = await _attempts.SealedCustomersAsync(options.TenantId, options.TaskId, cancellationToken);
        return new Queue<TaskCustomer>(customers.Where(c => attempted.Add(c.CustomerId)));
    }

    private DialerSnapshot Snapshot()
    {
        var now = _time.GetUtcNow();
        while (_recentStarts.TryPeek(out var at) && now - at >= TimeSpan.FromMinutes(1))
        {
            _recentStarts.Dequeue();
        }

        var ringing = _live.Values.Where(l => !l.Answered).Select(l => (now - l.StartedAt).TotalSeconds).ToImmutableArray();
        var answered = _live.Values.Count(l => l.Answered);
        return new DialerSnapshot(
            now,
            ReadyAgents: 0,
            BusyAgents: [],
            RingingCallAges: ringing,
            AnsweredWaiting: 0,
            FreeLineChannels: options.LineChannels - _live.Count,
            FreeRobotSlots: Math.Max(0, options.RobotSlots - answered),
            CallsStartedLastMinute: _recentStarts.Count);
    }

    private async Task DialAsync(TaskCustomer customer, CancellationToken cancellationToken)
    {
        var callId = Guid.CreateVersion7();
        var now = _time.GetUtcNow();
        // The attempt is durable before the INVITE exists: a crash after the commit leaves an
        // open attempt for the next leader to close, never a call nobody knows about. It is
        // appended on the lock's own session, so a dialer whose lock is gone (and whose task a
        // new leader may already be reconciling) cannot slip in one more attempt.
        try
        {
            await using var transaction = await _leadership!.BeginTransactionAsync(cancellationToken);
            var session = store.OpenSession(_leadership, transaction);
            var stream = Deciders.Call.StreamId(callId);
            await CommandRunner.RunAsync(session, store, Deciders.Call, _tenant, stream,
                new CallCommand.CreateOutbound(callId, options.TenantId, options.TaskId, customer.CustomerId, customer.Phone, customer.Variables, now),
                cancellationToken: cancellationToken);
            await CommandRunner.RunAsync(session, store, Deciders.Call, _tenant, stream,
                new CallCommand.Dial(callId, 1, options.LineId, options.CallerId, now), cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw await LostLeadershipAsync(e);
        }

        _recentStarts.Enqueue(now);
        CallLegId leg;
        try
        {
            leg = await control.OriginateAsync(
                new OriginateRequest(customer.Phone.E164, options.Trunk, options.CallerId.E164, RingTimeout: options.RingTimeout), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await CommandRunner.RunAsync(store, Deciders.Call, _tenant, Deciders.Call.StreamId(callId),
                new CallCommand.HangUp(callId, HangUpParty.Platform, CloseReason.ChannelError, _time.GetUtcNow()), cancellationToken: cancellationToken);
            return;
        }

        _live[leg] = new LiveCall(callId, now);
    }

    /// <summary>Turns what call control reports on one of our legs into the call's commands.</summary>
    private async Task HandleAsync(LegEvent e, CancellationToken cancellationToken)
    {
        if (!_live.TryGetValue(e.Leg, out var live))
        {
            return;
        }

        CallCommand? command = e switch
        {
            LegEvent.Ringing r => new CallCommand.ReportRinging(live.CallId, r.At),
            LegEvent.Answered a => new CallCommand.Answer(live.CallId, a.At),
            LegEvent.Hungup h => new CallCommand.HangUp(
                live.CallId,
                h.By == CallEndedBy.Remote ? HangUpParty.Customer : HangUpParty.Platform,
                (CloseReason)(int)h.Reason,
                h.At),
            _ => null,
        };
        if (command is null)
        {
            return;
        }

        await CommandRunner.RunAsync(store, Deciders.Call, _tenant, Deciders.Call.StreamId(live.CallId), command, cancellationToken: cancellationToken);
        switch (e)
        {
            case LegEvent.Answered:
                _live[e.Leg] = live with { Answered = true };
                break;
            case LegEvent.Hungup:
                _live.Remove(e.Leg);
                break;
        }
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

        return new InvalidOperationException($"The dialer lost the lock of task {options.TaskId}.", cause);
    }

    /// <summary>
    /// Hangs up the calls this instance still carries and closes them before giving up the lock,
    /// so the next leader finds nothing of ours open.
    /// </summary>
    private async Task ReleaseAsync()
    {
        using var grace = new CancellationTokenSource(options.ShutdownGrace);
        foreach (var leg in _live.Keys.ToList())
        {
            try
            {
                await control.HangUpAsync(leg);
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
                await HandleAsync(await control.Events.ReadAsync(grace.Token), grace.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            // Legs that never reported are left open and closed by the next leader's reconciliation.
        }

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

    private sealed record LiveCall(Guid CallId, DateTimeOffset StartedAt, bool Answered = false);
}
