using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Lines;
using Aicc.Domain.Numbers;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Telephony.CallControl;
using Microsoft.Extensions.Logging;
using Npgsql;
using LegEvent = Aicc.Telephony.CallControl.CallEvent;

namespace Aicc.Handlers.Switchboard;

/// <summary>
/// An agent's manual outbound call, as recorded by the console's request (ADR 0017): the seat is
/// offered the call, a caller number of <paramref name="PoolId"/> is leased to the agent
/// (<paramref name="LeaseId"/>), and the customer is dialed through the line's trunk.
/// </summary>
public sealed record ManualCall(
    Guid TenantId,
    Guid CallId,
    Guid TaskId,
    AgentSeat Seat,
    PhoneNumber Callee,
    PhoneNumber CallerId,
    Guid LineId,
    IPEndPoint Trunk,
    bool UseTcp,
    string? DialPrefix,
    TrunkCredentials? Credentials,
    Guid PoolId,
    Guid LeaseId);

public sealed partial class AgentQueue
{
    /// <summary>The claim row's skill group for manual calls: they never wait in a queue.</summary>
    public const string ManualCallGroup = "manual";

    /// <summary>How long the customer's phone may ring before the platform gives up.</summary>
    private static readonly TimeSpan CustomerRingTimeout = TimeSpan.FromSeconds(45);

    private readonly ConcurrentDictionary<Guid, Task> _placing = new();

    /// <summary>
    /// Writes the manual call's claim row (offered to its agent, carried by this node) in the
    /// transaction that records the call, so the pop-up, the console's commands and the reaper
    /// of dead nodes treat it like a distributed call from its first moment.
    /// </summary>
    public async Task ClaimManualCallAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ManualCall call, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            insert into acd_calls (tenant, call_id, skill_group, queued_at, node, lease_until, state, agent_id, caller, task_id, variables, context)
            values ($1, $2, $3, $4, $5, now() + $6, 'offered', $7, $8, $9, $10::jsonb, $11)
            on conflict (tenant, call_id) do nothing
            """, connection, transaction);
        command.Parameters.AddWithValue(Deciders.TenantKey(call.TenantId));
        command.Parameters.AddWithValue(call.CallId);
        command.Parameters.AddWithValue(ManualCallGroup);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(_options.NodeId);
        command.Parameters.AddWithValue(_options.ClaimLease);
        command.Parameters.AddWithValue(call.Seat.AgentId);
        command.Parameters.AddWithValue(call.Callee.E164);
        command.Parameters.AddWithValue(call.TaskId);
        command.Parameters.AddWithValue(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["callerId"] = call.CallerId.E164 }));
        // No context: the pop-up shows a context as a hand-over's reason, with the robot's transcript.
        command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Rings the agent's phone, then dials the customer and bridges the two; runs on after the request returns.</summary>
    public void StartManualCall(ManualCall call)
    {
        var running = Task.Run(async () =>
        {
            try
            {
                await PlaceManualCallAsync(call, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // The process stops; the reaper of another node (or this one's next life) closes the call.
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Manual call {Call} failed", call.CallId);
            }
        });
        _placing[call.CallId] = running;
        _ = running.ContinueWith(_ => _placing.TryRemove(call.CallId, out var _), TaskScheduler.Default);
    }

    /// <summary>Manual calls being set up now (agent's or customer's phone ringing).</summary>
    public int PlacingCalls => _placing.Count;

    /// <summary>
    /// Agent first, then customer: the agent's phone is rung (the console answers it by itself),
    /// then the customer is dialed from the leased caller number; the customer's answer bridges
    /// the two and from then on the call is carried like a distributed one. Every way it can end
    /// before that (the agent's phone not answering, the customer busy, either side hanging up,
    /// the lease not renewed) ends the call, the agent's part and the lease together.
    /// </summary>
    private async Task PlaceManualCallAsync(ManualCall manual, CancellationToken cancellationToken)
    {
        var seat = manual.Seat;
        var call = new QueuedCall(manual.TenantId, manual.CallId, new CallLegId(0), ManualCallGroup, manual.Callee.E164, manual.TaskId,
            new Dictionary<string, string>(), null, Now);
        CallLegId agentLeg;
        try
        {
            // The phone shows the number being called (the caller name of a distributed call is its skill group).
            agentLeg = await _phones.RingAsync(seat, call with { SkillGroup = manual.Callee.E164 }, _options.RingTimeout, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.Net.Sockets.SocketException)
        {
            _logger.LogWarning("Manual call {Call}: agent {Agent}'s phone could not be rung: {Error}", manual.CallId, seat.AgentId, e.Message);
            await EndManualAsync(manual, call, agentOnCall: false, OfferEndReason.Unanswered, HangUpParty.Platform, CloseReason.ChannelError);
            return;
        }

        var agent = Channel.CreateUnbounded<LegEvent>();
        var agentWatch = _hub.Watch(agentLeg, agent.Writer);
        var handedOver = false;
        try
        {
            var answered = await WaitForAgentLegAsync(manual, agent.Reader, cancellationToken);
            if (answered is not null)
            {
                await HangUpQuietlyAsync(agentLeg);
                await EndManualAsync(manual, call, agentOnCall: false, answered.Value, HangUpParty.Seat, CloseReason.Normal);
                return;
            }

            var now = Now;
            await AppendAsync(call, seat.AgentId, new AgentCommand.AcceptCall(seat.AgentId, manual.CallId, now), new CallCommand.ConnectAgent(manual.CallId, seat.AgentId, now),
                (connection, transaction, ct) => SetClaimAsync(connection, transaction, call, "connected", seat.AgentId, ct), cancellationToken);
            // The line and the caller number are on the call's stream before the customer's INVITE exists.
            await RunCallAsync(call, new CallCommand.Dial(manual.CallId, 1, manual.LineId, manual.CallerId, Now), cancellationToken);

            CallLegId customerLeg;
            try
            {
                customerLeg = await Control.OriginateAsync(
                    new OriginateRequest((manual.DialPrefix ?? string.Empty) + manual.Callee.E164, manual.Trunk, manual.CallerId.E164,
                        RingTimeout: CustomerRingTimeout, UseTcp: manual.UseTcp, Credentials: manual.Credentials),
                    cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Manual call {Call}: originate failed", manual.CallId);
                await HangUpQuietlyAsync(agentLeg);
                await EndManualAsync(manual, call, agentOnCall: true, null, HangUpParty.Platform, CloseReason.ChannelError);
                return;
            }

            call = call with { Leg = customerLeg };
            var customer = Channel.CreateUnbounded<LegEvent>();
            var customerWatch = _hub.Watch(customerLeg, customer.Writer);
            try
            {
                var outcome = await WaitForCustomerAsync(manual, call, customer.Reader, agent.Reader, cancellationToken);
                switch (outcome)
                {
                    case CustomerOutcome.Answered:
                        await Control.BridgeAsync(customerLeg, agentLeg);
                        await RunCallAsync(call, new CallCommand.Answer(manual.CallId, Now), cancellationToken);
                        _logger.LogInformation("Manual call {Call} of agent {Agent} connected", manual.CallId, seat.AgentId);
                        if (_recorder is not null)
                        {
                            await _recorder.StartAsync(Control, call.TenantId, call.CallId, call.Leg, cancellationToken);
                        }

                        StartCarrying(new CarriedCall(call, customer, customerWatch, new AgentLeg(seat, agentLeg, agent, agentWatch))
                        {
                            Finishing = (connection, transaction, ct) => EndLeaseAndChannelAsync(connection, transaction, manual, ct),
                            Lapsed = ct => LeaseLapsedAsync(manual, ct),
                        });
                        handedOver = true;
                        return;
                    case CustomerOutcome.Gone gone:
                        await HangUpQuietlyAsync(agentLeg);
                        await EndManualAsync(manual, call, agentOnCall: true, null, HangUpParty.Customer, (CloseReason)(int)gone.Hangup.Reason);
                        return;
                    case CustomerOutcome.AgentLeft:
                        await HangUpQuietlyAsync(customerLeg);
                        await EndManualAsync(manual, call, agentOnCall: true, null, HangUpParty.Seat, CloseReason.Normal);
                        return;
                    default:
                        await HangUpQuietlyAsync(customerLeg);
                        await HangUpQuietlyAsync(agentLeg);
                        await EndManualAsync(manual, call, agentOnCall: true, null, HangUpParty.Platform, CloseReason.Normal);
                        return;
                }
            }
            finally
            {
                if (!handedOver)
                {
                    customerWatch.Dispose();
                }
            }
        }
        finally
        {
            if (!handedOver)
            {
                agentWatch.Dispose();
            }
        }
    }

    /// <summary>Null when the agent's phone answered; otherwise how the offer ended.</summary>
    private async Task<OfferEndReason?> WaitForAgentLegAsync(ManualCall manual, ChannelReader<LegEvent> agent, CancellationToken cancellationToken)
    {
        var deadline = Now + _options.RingTimeout + TimeSpan.FromSeconds(2);
        while (true)
        {
            while (agent.TryRead(out var e))
            {
                switch (e)
                {
                    case LegEvent.Answered:
                        return null;
                    case LegEvent.Hungup h:
                        return h.Reason is CallCloseReason.BBusy or CallCloseReason.ABusy ? OfferEndReason.Declined : OfferEndReason.Unanswered;
                }
            }

            if (Now >= deadline)
            {
                return OfferEndReason.Unanswered;
            }

            await WaitAnyAsync([agent], deadline, null, cancellationToken);
        }
    }

    private async Task<CustomerOutcome> WaitForCustomerAsync(ManualCall manual, QueuedCall call, ChannelReader<LegEvent> customer, ChannelReader<LegEvent> agent, CancellationToken cancellationToken)
    {
        var deadline = Now + CustomerRingTimeout + TimeSpan.FromSeconds(5);
        var renewAt = Now;
        var rang = false;
        while (true)
        {
            while (customer.TryRead(out var e))
            {
                switch (e)
                {
                    case LegEvent.Ringing when !rang:
                        rang = true;
                        await RunCallAsync(call, new CallCommand.ReportRinging(manual.CallId, e.At), cancellationToken);
                        break;
                    case LegEvent.Answered:
                        return new CustomerOutcome.Answered();
                    case LegEvent.Hungup h:
                        return new CustomerOutcome.Gone(h);
                }
            }

            if (TakeHangup(agent) is not null)
            {
                return new CustomerOutcome.AgentLeft();
            }

            if (Now >= deadline)
            {
                return new CustomerOutcome.GaveUp();
            }

            if (Now >= renewAt)
            {
                if (await LeaseLapsedAsync(manual, cancellationToken))
                {
                    return new CustomerOutcome.GaveUp();
                }

                await RenewClaimAsync(call, cancellationToken);
                renewAt = Now + (_options.ClaimLease / 3);
            }

            await WaitAnyAsync([customer, agent], Min(deadline, renewAt), null, cancellationToken);
        }
    }

    /// <summary>
    /// A manual call that ended before customer and agent were bridged: the call's hang-up, the
    /// agent's offer or call ended (no wrap-up: there was no conversation to wrap up), the lease
    /// ended and the claim row gone, in one transaction.
    /// </summary>
    private async Task EndManualAsync(ManualCall manual, QueuedCall call, bool agentOnCall, OfferEndReason? offerEnd, HangUpParty by, CloseReason reason)
    {
        var now = Now;
        var agentId = manual.Seat.AgentId;
        AgentCommand agentCommand = agentOnCall
            ? new AgentCommand.EndCall(agentId, manual.CallId, TimeSpan.Zero, now)
            : new AgentCommand.EndOffer(agentId, manual.CallId, offerEnd ?? OfferEndReason.Withdrawn, now);
        await AppendAsync(call, agentId, agentCommand, new CallCommand.HangUp(manual.CallId, by, reason, now),
            async (connection, transaction, ct) =>
            {
                await EndLeaseAndChannelAsync(connection, transaction, manual, ct);
                await AgentWrapUp.ForgetCallAsync(connection, transaction, Deciders.TenantKey(manual.TenantId), manual.CallId, ct);
            },
            CancellationToken.None);
        Wake();
        _logger.LogInformation("Manual call {Call} ended before it was connected: by {Party} ({Reason})", manual.CallId, by, reason);
    }

    /// <summary>
    /// The lease and the line's channel end with the call. The lease is released at hang-up while
    /// it is live; a lease already past its expiry (nobody renewed it: the page is gone) is
    /// recorded as expired, exactly as the scheduled expiry would, so its history never claims a
    /// hang-up released it.
    /// </summary>
    private async Task EndLeaseAndChannelAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ManualCall manual, CancellationToken cancellationToken)
    {
        var tenant = Deciders.TenantKey(manual.TenantId);
        var stream = Deciders.NumberLeases.StreamId(manual.PoolId);
        var (book, _) = await CommandRunner.LoadAsync(_store, Deciders.NumberLeases, tenant, stream, cancellationToken, connection, transaction);
        var now = Now;
        NumberLeaseCommand command = book.Find(manual.LeaseId) is { } lease && lease.ExpiresAt > now
            ? new NumberLeaseCommand.ReleaseLease(manual.PoolId.ToString(), manual.LeaseId, LeaseEndReason.HungUp, now)
            : new NumberLeaseCommand.ExpireLeases(manual.PoolId.ToString(), now);
        var session = _store.OpenSession(connection, transaction);
        var metadata = new EventMetadata(CorrelationId: manual.CallId.ToString(), User: "acd");
        await CommandRunner.RunAsync(session, _store, Deciders.NumberLeases, tenant, stream, command, metadata, cancellationToken);

        // The line's channel, seized when the call was placed, goes back with the hang-up (ADR 0019).
        await CommandRunner.RunFromAsync(session, _store, Deciders.Line, tenant, Deciders.Line.StreamId(manual.LineId), Line.Initial, 0,
            new LineCommand.ReleaseChannel(manual.LineId, manual.CallId, now), metadata, cancellationToken);
    }

    /// <summary>True once the call's lease is gone or past its expiry: the console that renewed it is gone.</summary>
    private async Task<bool> LeaseLapsedAsync(ManualCall manual, CancellationToken cancellationToken)
    {
        var (book, _) = await CommandRunner.LoadAsync(_store, Deciders.NumberLeases, Deciders.TenantKey(manual.TenantId), Deciders.NumberLeases.StreamId(manual.PoolId), cancellationToken);
        return book.Find(manual.LeaseId) is not { } lease || lease.ExpiresAt <= Now;
    }

    private abstract record CustomerOutcome
    {
        private CustomerOutcome()
        {
        }

        public sealed record Answered : CustomerOutcome;

        public sealed record Gone(LegEvent.Hungup Hangup) : CustomerOutcome;

        public sealed record AgentLeft : CustomerOutcome;

        public sealed record GaveUp : CustomerOutcome;
    }
}
