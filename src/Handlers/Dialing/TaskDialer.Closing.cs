using Aicc.Domain.Calls;
using Aicc.Domain.Compliance;
using Aicc.Domain.Dialing;
using Aicc.Domain.Dialing.Contacts;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Messaging.Scheduling;
using Aicc.Telephony.CallControl;
using Microsoft.Extensions.Logging;
using Npgsql;
using LegEvent = Aicc.Telephony.CallControl.CallEvent;

namespace Aicc.Handlers.Dialing;

public sealed partial class TaskDialer
{
    /// <summary>
    /// Closes every attempt of the task that a previous leader created or dialed and never saw
    /// end. Its leg belonged to a process that is gone, so nothing will report on it again: it is
    /// closed as a channel error (failed, or abandoned if it had been answered) and the redial
    /// policy decides, in the same transaction, whether and when the customer is dialed again.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        _ = _leadership ?? throw new InvalidOperationException("Only the task's leading dialer reconciles its attempts.");
        var closed = 0;
        foreach (var open in (await _attempts.AttemptsAsync(_options.TenantId, _options.TaskId, cancellationToken)).Where(a => !a.Ended))
        {
            if (_live.Values.Any(l => l.CallId == open.CallId))
            {
                continue;
            }

            var ended = await CloseAsync(open.CallId, open.CustomerId, Math.Max(1, open.Attempt), open.Called,
                new CallCommand.HangUp(open.CallId, HangUpParty.Platform, CloseReason.ChannelError, _time.GetUtcNow()), cancellationToken, fenced: true);
            closed += ended ? 1 : 0;
        }

        await ReleaseEndedCallsChannelsAsync(cancellationToken);
        return closed;
    }

    /// <summary>Turns what call control reports on one of our legs into the call's commands.</summary>
    private async Task HandleAsync(LegEvent e, CancellationToken cancellationToken)
    {
        if (!_live.TryGetValue(e.Leg, out var live))
        {
            return;
        }

        switch (e)
        {
            case LegEvent.Ringing r:
                await CommandRunner.RunAsync(_store, Deciders.Call, _tenant, Deciders.Call.StreamId(live.CallId), new CallCommand.ReportRinging(live.CallId, r.At), cancellationToken: cancellationToken);
                break;
            case LegEvent.Answered a:
                try
                {
                    await CommandRunner.RunAsync(_store, Deciders.Call, _tenant, Deciders.Call.StreamId(live.CallId), new CallCommand.Answer(live.CallId, a.At), cancellationToken: cancellationToken);
                }
                catch (Domain.DomainException ex)
                {
                    // A leader that took over closed this call already (this instance lost its lock): end the leg, nothing to record.
                    _logger.LogWarning("Call {CallId} was answered after it was closed ({Code}); hanging up", live.CallId, ex.Code);
                    try
                    {
                        await Control.HangUpAsync(e.Leg);
                    }
                    catch (InvalidOperationException)
                    {
                    }

                    break;
                }

                _live[e.Leg] = live = live with { Answered = true, AnsweredAt = a.At };
                _statistics = _statistics.CallAnswered(live.StartedAt, a.At);
                await HandOverAsync(e.Leg, live, a.At, cancellationToken);
                break;
            case LegEvent.Hungup h:
                _live.Remove(e.Leg);
                live.Watch.Dispose();
                await CloseAsync(live.CallId, live.CustomerId, live.Attempt, live.Called, HangUpOf(live, h), cancellationToken);
                _statistics = live.Answered
                    ? _statistics
                    : _statistics.CallUnanswered((h.At - live.StartedAt).TotalSeconds);
                break;
        }
    }

    /// <summary>
    /// Call control names why a leg closed in SIP terms; the call record wants it in the
    /// seed-001 vocabulary of who and why. A ring timeout we ran out ourselves (our CANCEL after
    /// ringing in vain) is a no-answer, not an unreachable callee; a hang-up we asked for while
    /// stopping is the platform's, not the customer's.
    /// </summary>
    private static CallCommand.HangUp HangUpOf(LiveCall live, LegEvent.Hungup h)
    {
        var reason = (CloseReason)(int)h.Reason;
        if (!live.Answered && h.By == CallEndedBy.Local && h.Reason == CallCloseReason.BUnreachable && !live.Stopping)
        {
            reason = CloseReason.MaxDuration;
        }

        var by = h.By == CallEndedBy.Remote ? HangUpParty.Customer : HangUpParty.Platform;
        return new CallCommand.HangUp(live.CallId, by, reason, h.At);
    }

    /// <summary>
    /// Gives an answered call to the router (robot or agent queue). Without a router the call
    /// stays up until the customer hangs up, and is recorded as abandoned (no seat took it).
    /// </summary>
    private async Task HandOverAsync(CallLegId leg, LiveCall live, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        if (_router is null)
        {
            return;
        }

        try
        {
            await _router.TakeOverAsync(
                new AnsweredCall(_options.TenantId, _options.TaskId, live.CallId, live.CustomerId, leg, live.Called, live.Variables, answeredAt),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nobody carries the call: end it rather than leave a customer in silence.
            _logger.LogWarning(ex, "The router did not take call {CallId}; hanging up", live.CallId);
            try
            {
                await Control.HangUpAsync(leg, CallCloseReason.ChannelError);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    /// <summary>
    /// Appends the hang-up and, if it ended the call now, the customer's next attempt by the
    /// redial policy (contact event + scheduled message): one transaction on the lock's session,
    /// so a crash can neither close a call without its redial nor plan a redial twice.
    /// </summary>
    private async Task<bool> CloseAsync(Guid callId, Guid customerId, int attempt, string called, CallCommand.HangUp hangUp, CancellationToken cancellationToken, bool fenced = false)
    {
        if (fenced && _leadership is null)
        {
            // Closing what another dialer left open is the leader's job alone.
            throw new InvalidOperationException($"The dialer lost the lock of task {_options.TaskId}.");
        }

        // A dialer that lost its lock still closes the calls it saw end (a true fact, and the
        // call stream's version keeps it from racing the new leader's reconciliation: whichever
        // closes first also plans the redial, the other's transaction fails on the version).
        for (var round = 1; ; round++)
        {
            try
            {
                return await TryCloseAsync(callId, customerId, attempt, called, hangUp, cancellationToken);
            }
            catch (WrongExpectedVersionException) when (round < 3)
            {
                // Another writer (the dialer that took over, or the one it replaced) touched the
                // call at the same moment; decide again on what it wrote: if it closed the call,
                // it also planned the redial, and this close has nothing left to do.
            }
        }
    }

    private async Task<bool> TryCloseAsync(Guid callId, Guid customerId, int attempt, string called, CallCommand.HangUp hangUp, CancellationToken cancellationToken)
    {
        var own = _leadership is null;
        var connection = _leadership ?? await _store.DataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var session = _store.OpenSession(connection, transaction);
            var result = await CommandRunner.RunAsync(session, _store, Deciders.Call, _tenant, Deciders.Call.StreamId(callId), hangUp, cancellationToken: cancellationToken);
            // The channel goes back with the hang-up, in its transaction; also when someone else
            // closed the call (a release is idempotent), so no path keeps a channel of an ended call.
            var released = result.State is Aicc.Domain.Calls.Call.Ended
                ? await ReleaseChannelAsync(session, callId, hangUp.Now, cancellationToken)
                : null;
            if (result.Events.OfType<Aicc.Domain.Calls.CallEvent.HungUp>().FirstOrDefault() is not { } hungUp)
            {
                await transaction.CommitAsync(cancellationToken);
                _line = released is null ? _line : (released.State, released.Version);
                return false;
            }

            var outcome = TaskDialingRules.Outcome(hungUp.Outcome);
            var plan = RedialPlanner.Plan(_options.Redials, outcome, attempt, hungUp.HungUpAt, _options.Windows, CalleeZone(called));
            if (plan is RedialPlan.Redial redial)
            {
                var scheduled = await CommandRunner.RunAsync(session, _store, Deciders.DialingContact, _tenant,
                    Deciders.DialingContact.StreamId(DialingContactDecider.ContactId(_options.TaskId, customerId)),
                    new DialingContactCommand.ScheduleRedial(_options.TaskId, customerId, redial.Attempt, redial.At, outcome, callId, hungUp.HungUpAt),
                    cancellationToken: cancellationToken);
                if (scheduled.Events.Count > 0)
                {
                    await MessageScheduler.ScheduleAsync(connection, transaction,
                        RedialDueMessage.Request(_options.TenantId, _options.TaskId, customerId, redial.Attempt, redial.At), cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            _line = released is null ? _line : (released.State, released.Version);
            return true;
        }
        catch (NpgsqlException e) when (!own)
        {
            throw await LostLeadershipAsync(e);
        }
        finally
        {
            if (own)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
