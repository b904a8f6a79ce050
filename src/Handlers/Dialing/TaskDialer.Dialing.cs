using Aicc.Domain.Calls;
using Aicc.Domain.Compliance;
using Aicc.Domain.Dialing.Contacts;
using Aicc.Domain.Numbers;
using Aicc.Domain.PhoneNumbers;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Messaging.Scheduling;
using Aicc.Telephony.CallControl;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aicc.Handlers.Dialing;

public sealed partial class TaskDialer
{
    private static readonly TimeSpan ListsFreshness = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PoolFreshness = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan NoNumberRetry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CredentialsFreshness = TimeSpan.FromSeconds(30);

    private (DialLists Lists, DateTimeOffset At)? _lists;
    private PoolView? _pool;
    private (Telephony.CallControl.TrunkCredentials? Credentials, DateTimeOffset At)? _credentials;

    /// <summary>
    /// Places one attempt: the compliance gate first (every refusal is an event with its reason),
    /// then the caller number from the task's pool, then the attempt's events on the lock's
    /// session with the line's channel, and only then the INVITE.
    /// </summary>
    private async Task<Placement> DialAsync(DueAttempt due, CancellationToken cancellationToken)
    {
        var customer = due.Customer;
        var callee = customer.Phone.E164;
        var now = _time.GetUtcNow();
        var callerId = _options.CallerId;
        if (_options.NumberPoolId is { } poolId)
        {
            var pool = await PoolAsync(poolId, now, cancellationToken);
            switch (CallerNumberChooser.Choose(pool.Pool, callee, _options.Cities, pool.Usage, pool.Leases.HeldAt(now), now))
            {
                case NumberChoice.Chosen chosen:
                    callerId = PhoneNumber.Parse(chosen.Number.Number);
                    break;
                case NumberChoice.NoneAvailable none:
                    await RefuseAsync(due, RefusalReason.NoCallerNumber, none.Reason, now + NoNumberRetry, now, cancellationToken);
                    return Placement.Skipped;
            }
        }

        var lists = await ListsAsync(now, cancellationToken);
        var limits = lists.Limits with { PerTaskPerMinute = _options.Pacing.MaxCallsPerMinute };
        var lookBack = TimeSpan.FromTicks(Math.Max(limits.CalleePeriod.Ticks, limits.PairPeriod.Ticks));
        var history = await _attempts.CalleeHistoryAsync(_options.TenantId, callee, now - lookBack, cancellationToken);
        foreach (var started in _recentStarts)
        {
            history = history.Record(new ContactAttempt(_options.TaskId.ToString(), string.Empty, null, started, Reached: false), lookBack);
        }

        var check = new CheckDial(_tenant, _options.TaskId.ToString(), callee, callerId.E164, limits, _options.Windows, CalleeZone(callee), now);
        if (DialGate.Decide(check, new DialGateState(lists, history)).Single() is DialCheckEvent.DialRefused refused)
        {
            await RefuseAsync(due, refused.Reason, refused.Detail, refused.RetryAfter, now, cancellationToken);
            return Placement.Skipped;
        }

        var callId = DialingContactDecider.AttemptCallId(_options.TaskId, customer.CustomerId, due.Attempt);
        // The attempt is durable before the INVITE exists: a crash after the commit leaves an
        // open attempt for the next leader to close, never a call nobody knows about. It is
        // appended on the lock's own session, so a dialer whose lock is gone (and whose task a
        // new leader may already be reconciling) cannot slip in one more attempt.
        try
        {
            await using var transaction = await _leadership!.BeginTransactionAsync(cancellationToken);
            var session = _store.OpenSession(_leadership, transaction);
            var stream = Deciders.Call.StreamId(callId);
            var created = await CommandRunner.RunAsync(session, _store, Deciders.Call, _tenant, stream,
                new CallCommand.CreateOutbound(callId, _options.TenantId, _options.TaskId, customer.CustomerId, customer.Phone, customer.Variables, now),
                cancellationToken: cancellationToken);
            if (created.Events.Count == 0)
            {
                // This attempt's stream exists already: it was placed (and is closed or being
                // reconciled). Dialing it again is exactly the duplicate this id rules out.
                _logger.LogWarning("Attempt {Attempt} of customer {Customer} in task {Task} exists already; not dialed again", due.Attempt, customer.CustomerId, _options.TaskId);
                return Placement.Skipped;
            }

            await CommandRunner.RunAsync(session, _store, Deciders.Call, _tenant, stream,
                new CallCommand.Dial(callId, due.Attempt, _options.LineId, callerId, now), cancellationToken: cancellationToken);
            // The channel last: the line's stream row stays locked from this append to the commit,
            // and every dialer on the line queues behind that lock.
            if (await SeizeChannelAsync(session, callId, now, cancellationToken) is not { } seized)
            {
                // Another task (or node) took the last channel since the pacer looked: the
                // attempt was never made, and is tried again when a channel is free.
                await transaction.RollbackAsync(cancellationToken);
                return Placement.LineFull;
            }

            await transaction.CommitAsync(cancellationToken);
            _line = (seized.State, seized.Version);
        }
        catch (NpgsqlException e)
        {
            throw await LostLeadershipAsync(e);
        }

        _recentStarts.Enqueue(now);
        _statistics = _statistics.CallPlaced(now);
        if (_pool is { } view)
        {
            _pool = view with { Usage = view.Usage.Record(callerId.E164, now) };
        }

        CallLegId leg;
        try
        {
            var credentials = await CredentialsAsync(now, cancellationToken);
            leg = await Control.OriginateAsync(
                new OriginateRequest((_options.DialPrefix ?? string.Empty) + callee, _options.Trunk, callerId.E164, RingTimeout: _options.RingTimeout, UseTcp: _options.UseTcp, Credentials: credentials),
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Originate failed for call {CallId}", callId);
            await CloseAsync(callId, customer.CustomerId, due.Attempt, callee,
                new CallCommand.HangUp(callId, HangUpParty.Platform, CloseReason.ChannelError, _time.GetUtcNow()), cancellationToken);
            return Placement.Dialed;
        }

        var watch = _hub.Watch(leg, _inbox.Writer);
        _live[leg] = new LiveCall(callId, customer.CustomerId, due.Attempt, callee, customer.Variables, now, watch);
        return Placement.Dialed;
    }

    /// <summary>What became of a due attempt: dialed (or failed at the INVITE), skipped (refused, or placed before), or waiting for a channel.</summary>
    private enum Placement
    {
        Dialed,
        Skipped,
        LineFull,
    }

    /// <summary>
    /// Records the refusal on the customer's contact stream and, when the rule says when to try
    /// again (a closed window, a number cap), schedules the same attempt to become due then; all
    /// in one transaction on the lock's session.
    /// </summary>
    private async Task RefuseAsync(DueAttempt due, RefusalReason reason, string detail, DateTimeOffset? retryAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var customer = due.Customer;
        try
        {
            await using var transaction = await _leadership!.BeginTransactionAsync(cancellationToken);
            var result = await CommandRunner.RunAsync(_store.OpenSession(_leadership, transaction), _store, Deciders.DialingContact, _tenant,
                Deciders.DialingContact.StreamId(DialingContactDecider.ContactId(_options.TaskId, customer.CustomerId)),
                new DialingContactCommand.Refuse(_options.TaskId, customer.CustomerId, customer.Phone.E164, due.Attempt, reason, detail, retryAfter, now),
                cancellationToken: cancellationToken);
            if (result.Events.Count > 0 && retryAfter is { } at)
            {
                await MessageScheduler.ScheduleAsync(_leadership, transaction, RedialDueMessage.Request(_options.TenantId, _options.TaskId, customer.CustomerId, due.Attempt, at), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw await LostLeadershipAsync(e);
        }

        _logger.LogInformation("Task {Task} did not dial customer {Customer} (attempt {Attempt}): {Reason} {Detail}", _options.TaskId, customer.CustomerId, due.Attempt, reason, detail);
    }

    /// <summary>
    /// The line's trunk credentials, opened from the line's stream and kept for half a minute so a
    /// changed password reaches the next calls without a restart; none without a secret box (a
    /// process that cannot open them dials unauthenticated, and a challenging trunk refuses it).
    /// </summary>
    private async Task<Telephony.CallControl.TrunkCredentials?> CredentialsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_secrets is null)
        {
            return null;
        }

        if (_credentials is { } cached && now - cached.At < CredentialsFreshness)
        {
            return cached.Credentials;
        }

        var opened = await _secrets.LoadAsync(_options.TenantId, _options.LineId, cancellationToken);
        var credentials = opened is null ? null : new Telephony.CallControl.TrunkCredentials(opened.Username, opened.Password);
        _credentials = (credentials, now);
        return credentials;
    }

    private TimeZoneInfo CalleeZone(string callee) =>
        _options.Cities.Locate(callee) is { } city && TimeZoneInfo.TryFindSystemTimeZoneById(city.TimeZoneId, out var zone) ? zone : _options.DefaultZone;

    /// <summary>The tenant's lists, read again every couple of seconds: a number put on the do-not-call list must stop being dialed at once.</summary>
    private async Task<DialLists> ListsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_lists is { } cached && now - cached.At < ListsFreshness)
        {
            return cached.Lists;
        }

        var (lists, _) = await CommandRunner.LoadAsync(_store, Deciders.DialLists, _tenant, Deciders.DialLists.StreamId(_options.TenantId), cancellationToken);
        _lists = (lists, now);
        return lists;
    }

    /// <summary>The pool, its leases and its numbers' use in the last day; refreshed every few seconds (other tasks share the pool), counted locally between.</summary>
    private async Task<PoolView> PoolAsync(Guid poolId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_pool is { } cached && now - cached.At < PoolFreshness)
        {
            return cached;
        }

        var (state, _) = await CommandRunner.LoadAsync(_store, Deciders.NumberPool, _tenant, Deciders.NumberPool.StreamId(poolId), cancellationToken);
        var pool = state is NumberPoolState.Active active
            ? active.Pool
            : new NumberPool(poolId.ToString(), _tenant, string.Empty, []);
        var (leases, _) = await CommandRunner.LoadAsync(_store, Deciders.NumberLeases, _tenant, Deciders.NumberLeases.StreamId(poolId), cancellationToken);
        var usage = await _attempts.UsageAsync(_options.TenantId, [.. pool.Numbers.Select(n => n.Number)], now, cancellationToken);
        _pool = new PoolView(pool, leases, usage, now);
        return _pool;
    }

    private sealed record PoolView(NumberPool Pool, NumberLeaseBook Leases, NumberUsage Usage, DateTimeOffset At);
}
