using System.Threading.Channels;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Telephony.CallControl;
using Microsoft.Extensions.Logging;
using LegEvent = Aicc.Telephony.CallControl.CallEvent;

namespace Aicc.Handlers.Switchboard;

public sealed partial class AgentQueue
{
    public async Task<bool> HandleAsync(Guid tenantId, Guid callId, Guid agentId, AgentCallRequest request, CancellationToken cancellationToken)
    {
        if (!_carried.TryGetValue(callId, out var carried) || carried.Call.TenantId != tenantId)
        {
            return false;
        }

        var pending = new DeskRequest(agentId, request, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!carried.Requests.Writer.TryWrite(pending))
        {
            return false;
        }

        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    private void StartCarrying(CarriedCall carried)
    {
        _carried[carried.Call.CallId] = carried;
        carried.Carrier = Task.Run(async () =>
        {
            try
            {
                await CarryAsync(carried, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // This process stops: its calls' media stops with it; the legs' hang-ups tell the rest.
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Carrying call {Call} failed", carried.Call.CallId);
            }
            finally
            {
                _carried.TryRemove(carried.Call.CallId, out _);
                carried.Requests.Writer.TryComplete();
                while (carried.Requests.Reader.TryRead(out var left))
                {
                    left.Done.TrySetResult(false);
                }

                await EndMonitorAsync(carried.Call.CallId, "call ended");
                carried.Agent?.Watch.Dispose();
                carried.CustomerWatch.Dispose();
                await carried.StopHoldMusicAsync();
                // A carrier stopped with the process still writes the WAV of what it recorded.
                await StopRecordingAsync(carried.Call);
            }
        });
    }

    /// <summary>
    /// Runs a connected call to its end, one happening at a time: a hang-up on either leg ends
    /// the other and closes the call; the agent's requests hold, resume, transfer or end it.
    /// </summary>
    private async Task CarryAsync(CarriedCall carried, CancellationToken cancellationToken)
    {
        var call = carried.Call;
        while (true)
        {
            var agent = carried.Agent!;
            if (TakeHangup(carried.Customer.Reader) is { } customerGone)
            {
                await HangUpQuietlyAsync(agent.Leg);
                await FinishAsync(carried, HangUpParty.Customer, (CloseReason)(int)customerGone.Reason, cancellationToken);
                return;
            }

            if (TakeHangup(agent.Events.Reader) is { } agentGone)
            {
                await HangUpQuietlyAsync(call.Leg);
                await FinishAsync(carried, HangUpParty.Seat, (CloseReason)(int)agentGone.Reason, cancellationToken);
                return;
            }

            if (carried.Requests.Reader.TryRead(out var request))
            {
                if (request.AgentId != agent.Seat.AgentId)
                {
                    request.Done.TrySetResult(false);
                    continue;
                }

                try
                {
                    var ended = await HandleRequestAsync(carried, request.Request, cancellationToken);
                    request.Done.TrySetResult(true);
                    if (ended)
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    request.Done.TrySetException(e);
                }

                continue;
            }

            if (Now >= carried.RenewAt)
            {
                if (carried.Lapsed is { } lapsed && await lapsed(cancellationToken))
                {
                    // Nobody keeps the call alive any more (a manual call's page closed): the platform ends it.
                    await carried.StopHoldMusicAsync();
                    await HangUpQuietlyAsync(agent.Leg);
                    await HangUpQuietlyAsync(call.Leg);
                    await FinishAsync(carried, HangUpParty.Platform, CloseReason.Normal, cancellationToken);
                    return;
                }

                await RenewClaimAsync(call, cancellationToken);
                carried.RenewAt = Now + (_options.ClaimLease / 3);
            }

            using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(
                carried.Customer.Reader.WaitToReadAsync(done.Token).AsTask(),
                agent.Events.Reader.WaitToReadAsync(done.Token).AsTask(),
                carried.Requests.Reader.WaitToReadAsync(done.Token).AsTask(),
                Task.Delay(_options.ClaimLease / 3, _options.Time, done.Token));
            await done.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Applies one console request; true when the call is over.</summary>
    private async Task<bool> HandleRequestAsync(CarriedCall carried, AgentCallRequest request, CancellationToken cancellationToken)
    {
        var call = carried.Call;
        var agent = carried.Agent!;
        switch (request)
        {
            case AgentCallRequest.Hold:
                await RunCallAsync(call, new CallCommand.Hold(call.CallId, Now), cancellationToken);
                if (carried.HoldMusic is null)
                {
                    await Control.UnbridgeAsync(call.Leg);
                    carried.StartHoldMusic(Control);
                }

                return false;
            case AgentCallRequest.Resume:
                await RunCallAsync(call, new CallCommand.Resume(call.CallId, Now), cancellationToken);
                if (carried.HoldMusic is not null)
                {
                    await carried.StopHoldMusicAsync();
                    await Control.BridgeAsync(call.Leg, agent.Leg);
                    await RejoinMonitorAsync(call.CallId);
                }

                return false;
            case AgentCallRequest.HangUp:
                await carried.StopHoldMusicAsync();
                await HangUpQuietlyAsync(agent.Leg);
                await HangUpQuietlyAsync(call.Leg);
                await FinishAsync(carried, HangUpParty.Seat, CloseReason.Normal, cancellationToken);
                return true;
            case AgentCallRequest.Transfer transfer:
                return await TransferAsync(carried, transfer, cancellationToken);
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request, "Unknown agent request.");
        }
    }

    /// <summary>
    /// A blind transfer back through the queue: the call is recorded as transferred, the agent's
    /// leg ends (the agent goes to wrap-up), the customer hears hold music until the new agent
    /// answers. If nobody answers within the transfer timeout the platform ends the call.
    /// </summary>
    private async Task<bool> TransferAsync(CarriedCall carried, AgentCallRequest.Transfer transfer, CancellationToken cancellationToken)
    {
        var call = carried.Call;
        var from = carried.Agent!;
        if (carried.Lapsed is not null)
        {
            // A manual call lives by its agent's lease (ADR 0017); moving it to a colleague would leave nobody renewing it.
            throw new Domain.DomainException("call.manual_not_transferable", "A manual call cannot be transferred; hang up and let the colleague call.");
        }

        if (transfer.To is TransferTarget.ToAgent colleague)
        {
            // Refused up front rather than leaving the customer on hold for a seat that cannot ring.
            var (colleagueSeat, _) = await CommandRunner.LoadAsync(_store, Deciders.Agent, Deciders.TenantKey(call.TenantId), Deciders.Agent.StreamId(colleague.AgentId), cancellationToken);
            if (colleagueSeat is not Agent.Active { Presence: AgentPresence.Ready, Profile.Sip: not null })
            {
                throw new Domain.DomainException("call.transfer_target_not_ready", "The colleague is not ready for calls.");
            }
        }

        var now = Now;
        await AppendAsync(
            call,
            from.Seat.AgentId,
            new AgentCommand.EndCall(from.Seat.AgentId, call.CallId, _options.AfterCallWork(call), now),
            new CallCommand.Transfer(call.CallId, transfer.To, transfer.Reason, now),
            async (connection, transaction, ct) =>
            {
                await ScheduleWrapUpAsync(connection, transaction, call, from.Seat.AgentId, now, ct);
                await MoveClaimAsync(connection, transaction, call, transfer.To, ct);
            },
            cancellationToken);
        from.Watch.Dispose();
        carried.Agent = null;
        await StopRecordingAsync(call);
        await EndMonitorAsync(call.CallId, "transferred");
        await Control.UnbridgeAsync(call.Leg);
        await HangUpQuietlyAsync(from.Leg);
        if (carried.HoldMusic is null)
        {
            carried.StartHoldMusic(Control);
        }

        Wake();
        var (group, target) = transfer.To switch
        {
            TransferTarget.ToSkillGroup g => (g.SkillGroup.Trim(), (Guid?)null),
            TransferTarget.ToAgent a => ((string?)null, a.AgentId),
            _ => throw new ArgumentOutOfRangeException(nameof(transfer)),
        };
        var deadline = Now + _options.TransferTimeout;
        var result = await WaitForAgentAsync(call, carried.Customer.Reader, group, target, deadline, cancellationToken);
        if (result is WaitResult.TimedOut && target is not null && Now < deadline)
        {
            // The colleague did not take it: the call goes back to the queue it came from.
            await RunCallAsync(call, new CallCommand.Queue(call.CallId, call.SkillGroup, Now), cancellationToken);
            result = await WaitForAgentAsync(call, carried.Customer.Reader, call.SkillGroup, null, deadline, cancellationToken);
        }

        await carried.StopHoldMusicAsync();
        switch (result)
        {
            case WaitResult.Connected connected:
                carried.Agent = connected.Agent;
                return false;
            case WaitResult.CallerHungUp gone:
                await FinishAsync(carried, HangUpParty.Customer, gone.Hangup is { } h ? (CloseReason)(int)h.Reason : CloseReason.Normal, cancellationToken);
                return true;
            default:
                await HangUpQuietlyAsync(call.Leg);
                await FinishAsync(carried, HangUpParty.Platform, CloseReason.Normal, cancellationToken);
                return true;
        }
    }

    /// <summary>
    /// The call is over: recorded as hung up by <paramref name="by"/>; the agent (if one is still
    /// on it) goes to wrap-up, whose end is scheduled durably in the same transaction.
    /// </summary>
    private async Task FinishAsync(CarriedCall carried, HangUpParty by, CloseReason reason, CancellationToken cancellationToken)
    {
        var call = carried.Call;
        await StopRecordingAsync(call);
        var now = Now;
        var agentId = carried.Agent?.Seat.AgentId;
        var afterCallWork = _options.AfterCallWork(call);
        await AppendAsync(
            call,
            agentId ?? Guid.Empty,
            agentId is { } id ? new AgentCommand.EndCall(id, call.CallId, afterCallWork, now) : null,
            new CallCommand.HangUp(call.CallId, by, reason, now),
            async (connection, transaction, ct) =>
            {
                if (carried.Finishing is { } finishing)
                {
                    await finishing(connection, transaction, ct);
                }

                if (agentId is { } wrapping && afterCallWork > TimeSpan.Zero)
                {
                    await ScheduleWrapUpAsync(connection, transaction, call, wrapping, now, ct);
                    await SetClaimAsync(connection, transaction, call, "ended", wrapping, ct);
                }
                else
                {
                    await AgentWrapUp.ForgetCallAsync(connection, transaction, Commands.Deciders.TenantKey(call.TenantId), call.CallId, ct);
                }
            },
            CancellationToken.None);
        Wake();
        _logger.LogInformation("Call {Call} ended by {Party} ({Reason})", call.CallId, by, reason);
    }

    /// <summary>Each agent's part of a call is its own recording (a transfer ends one, the next agent's answer starts the next).</summary>
    private Task StopRecordingAsync(QueuedCall call) => _recorder?.StopAsync(call.CallId, CancellationToken.None) ?? Task.CompletedTask;

    /// <summary>A call transferred to a group waits in that group's queue (keeping its original place in time).</summary>
    private static async Task MoveClaimAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, QueuedCall call, TransferTarget to, CancellationToken cancellationToken)
    {
        await using var command = new Npgsql.NpgsqlCommand(
            "update acd_calls set state = 'waiting', agent_id = null, skill_group = coalesce($3, skill_group) where tenant = $1 and call_id = $2",
            connection,
            transaction);
        command.Parameters.AddWithValue(Commands.Deciders.TenantKey(call.TenantId));
        command.Parameters.AddWithValue(call.CallId);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)(to as TransferTarget.ToSkillGroup)?.SkillGroup.Trim() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task ScheduleWrapUpAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, QueuedCall call, Guid agentId, DateTimeOffset endedAt, CancellationToken cancellationToken)
    {
        var afterCallWork = _options.AfterCallWork(call);
        return afterCallWork > TimeSpan.Zero
            ? AgentWrapUp.ScheduleAsync(connection, transaction, Commands.Deciders.TenantKey(call.TenantId), agentId, call.CallId, endedAt + afterCallWork, cancellationToken)
            : Task.CompletedTask;
    }

    /// <summary>A console request waiting for the call's carrier.</summary>
    private sealed record DeskRequest(Guid AgentId, AgentCallRequest Request, TaskCompletionSource<bool> Done);

    /// <summary>One call this process carries: its customer leg, the agent now on it, hold music, console requests.</summary>
    private sealed class CarriedCall(QueuedCall call, Channel<LegEvent> customer, IDisposable customerWatch, AgentLeg agent)
    {
        public QueuedCall Call { get; } = call;

        public Channel<LegEvent> Customer { get; } = customer;

        public IDisposable CustomerWatch { get; } = customerWatch;

        /// <summary>Null while a transfer looks for the next agent.</summary>
        public AgentLeg? Agent { get; set; } = agent;

        public Channel<DeskRequest> Requests { get; } = Channel.CreateUnbounded<DeskRequest>();

        /// <summary>Written in the transaction that ends the call (a manual call's caller-number lease ends there).</summary>
        public Func<Npgsql.NpgsqlConnection, Npgsql.NpgsqlTransaction, CancellationToken, Task>? Finishing { get; init; }

        /// <summary>Asked at every claim renewal: true ends the call (a manual call whose lease nobody renewed).</summary>
        public Func<CancellationToken, Task<bool>>? Lapsed { get; init; }

        public Task Carrier { get; set; } = Task.CompletedTask;

        /// <summary>When the node next renews its claim on the call (a lapsed claim means the node died).</summary>
        public DateTimeOffset RenewAt { get; set; }

        public CancellationTokenSource? HoldMusic { get; private set; }

        private Task _holdPlayback = Task.CompletedTask;

        public void StartHoldMusic(ICallControl control)
        {
            var stop = new CancellationTokenSource();
            HoldMusic = stop;
            _holdPlayback = Task.Run(async () =>
            {
                try
                {
                    await using var music = new AgentHoldMusic();
                    await control.PlayStreamAsync(Call.Leg, music, stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
                {
                    // Stopped, or the leg ended under the music.
                }
            });
        }

        public async Task StopHoldMusicAsync()
        {
            if (HoldMusic is not { } stop)
            {
                return;
            }

            HoldMusic = null;
            await stop.CancelAsync();
            await _holdPlayback;
            stop.Dispose();
        }
    }
}
