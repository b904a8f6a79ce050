using System.Collections.Concurrent;
using System.Threading.Channels;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Recording;
using Aicc.Telephony.CallControl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using LegEvent = Aicc.Telephony.CallControl.CallEvent;

namespace Aicc.Handlers.Switchboard;

/// <summary>
/// The automatic call distributor (ADR 0013). A queued call waits in its tenant's skill-group
/// queue, first in first out across every node (acd_calls in PostgreSQL); when it is the oldest
/// waiting call of its group it is offered to the longest-idle ready agent of the agent board,
/// whose phone rings through <see cref="IAgentPhones"/>. The agent's stream decides the offer
/// (appended with the version read, so two calls can never be offered to one agent, whichever
/// nodes race); no answer withdraws the offer and the next agent is tried. On answer the two
/// legs are bridged and this process carries the call: hang-ups on either side, the agent's
/// hold, resume, transfer and hang-up from the console, and the agent's after-call work, whose
/// end is a durable scheduled message (<see cref="AgentWrapUp"/>).
/// </summary>
public sealed partial class AgentQueue : IAgentQueue, IAgentCallDesk, IAsyncDisposable
{
    private readonly PostgresEventStore _store;
    private readonly CallEventHub _hub;
    private readonly IAgentPhones _phones;
    private readonly AgentQueueOptions _options;
    private readonly ILogger _logger;
    private readonly CallRecorder? _recorder;
    private readonly ConcurrentDictionary<Guid, CarriedCall> _carried = new();
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _wake = NewWake();
    private int _disposed;

    /// <summary>This node's waiting calls per tenant and skill group, oldest first.</summary>
    private readonly Dictionary<(Guid Tenant, string Group), SortedSet<(DateTimeOffset QueuedAt, Guid CallId)>> _lines = [];

    public AgentQueue(PostgresEventStore store, CallEventHub hub, IAgentPhones phones, AgentQueueOptions? options = null, ILogger? logger = null)
    {
        _store = store;
        _hub = hub;
        _phones = phones;
        _options = options ?? new AgentQueueOptions();
        _logger = logger ?? NullLogger.Instance;
        _recorder = _options.Recordings is { } recordings ? new CallRecorder(store, recordings, _options.Time, _logger) : null;
    }

    /// <summary>Calls this process carries now (connected to an agent, or being transferred).</summary>
    public int CarriedCalls => _carried.Count;

    private ICallControl Control => _hub.Control;

    private DateTimeOffset Now => _options.Time.GetUtcNow();

    public async Task<QueueOutcome> ConnectToAgentAsync(QueuedCall call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Now + timeout;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var token = linked.Token;
        var customer = Channel.CreateUnbounded<LegEvent>();
        var customerWatch = _hub.Watch(call.Leg, customer.Writer);
        var handedOver = false;
        try
        {
            if (!await EnqueueAsync(call, token))
            {
                return QueueOutcome.CallerHungUp;
            }

            await ClaimAsync(call, token);
            var result = await WaitForAgentAsync(call, customer.Reader, call.SkillGroup, null, deadline, token);
            switch (result)
            {
                case WaitResult.Connected connected:
                    StartCarrying(new CarriedCall(call, customer, customerWatch, connected.Agent));
                    handedOver = true;
                    return QueueOutcome.Connected;
                case WaitResult.CallerHungUp:
                    await ReleaseAsync(call, CancellationToken.None);
                    return QueueOutcome.CallerHungUp;
                default:
                    await ReleaseAsync(call, CancellationToken.None);
                    return QueueOutcome.TimedOut;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            await ReleaseAsync(call, CancellationToken.None);
            throw;
        }
        finally
        {
            if (!handedOver)
            {
                customerWatch.Dispose();
            }
        }
    }

    /// <summary>
    /// Records that the call waits for the group. A call the robot still holds is handed on as
    /// the robot's transfer (the robot leaves the media path when an agent answers); any other
    /// answered call is queued.
    /// </summary>
    /// <returns>False when the call already ended (the customer hung up before it reached the queue).</returns>
    private async Task<bool> EnqueueAsync(QueuedCall call, CancellationToken cancellationToken)
    {
        var (state, _) = await CommandRunner.LoadAsync(_store, Deciders.Call, Deciders.TenantKey(call.TenantId), Deciders.Call.StreamId(call.CallId), cancellationToken);
        if (state is Call.Ended)
        {
            return false;
        }

        CallCommand command = state is Call.WithRobot
            ? new CallCommand.Transfer(call.CallId, new TransferTarget.ToSkillGroup(call.SkillGroup), call.Context ?? "transfer to a human", Now)
            : new CallCommand.Queue(call.CallId, call.SkillGroup, Now);
        await RunCallAsync(call, command, cancellationToken);
        return true;
    }

    /// <summary>
    /// Offers the call to one agent after another until one answers, the customer hangs up or the
    /// deadline passes. <paramref name="group"/> queues for a skill group; <paramref name="targetAgent"/>
    /// (a transfer to a named colleague) offers to that agent only.
    /// </summary>
    private async Task<WaitResult> WaitForAgentAsync(
        QueuedCall call, ChannelReader<LegEvent> customer, string? group, Guid? targetAgent, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var excluded = new HashSet<Guid>();
        (Guid Tenant, string Group)? line = group is null ? null : (call.TenantId, group);
        try
        {
            while (true)
            {
                // Taken before looking, so a wake-up between the look and the pause is not lost.
                var woken = Volatile.Read(ref _wake).Task;
                if (TakeHangup(customer) is { } gone)
                {
                    return new WaitResult.CallerHungUp(gone);
                }

                if (Now >= deadline || (targetAgent is { } only && excluded.Contains(only)))
                {
                    return new WaitResult.TimedOut();
                }

                // Only the oldest of this node's calls in a line asks the database: the younger
                // ones could not take an agent before it anyway (FIFO), and a backlog of calls
                // polling at once would starve the database exactly when agents are scarce.
                if (line is { } mine && !JoinLineAndCheckHead(mine, call))
                {
                    await PauseAsync(customer, deadline, woken, cancellationToken);
                    continue;
                }

                var seat = await TryOfferAsync(call, group, targetAgent, excluded, cancellationToken);
                if (seat is null)
                {
                    await PauseAsync(customer, deadline, woken, cancellationToken);
                    continue;
                }

                if (line is { } offeredFrom)
                {
                    LeaveLine(offeredFrom, call);
                }

                var rung = await RingAsync(call, seat, customer, deadline, cancellationToken);
                switch (rung)
                {
                    case WaitResult.Missed:
                        excluded.Add(seat.AgentId);
                        continue;
                    default:
                        return rung;
                }
            }
        }
        finally
        {
            if (line is { } left)
            {
                LeaveLine(left, call);
            }
        }
    }

    /// <summary>Puts the call in this node's line for its queue (once) and tells whether it is first.</summary>
    private bool JoinLineAndCheckHead((Guid Tenant, string Group) line, QueuedCall call)
    {
        lock (_lines)
        {
            if (!_lines.TryGetValue(line, out var waiting))
            {
                _lines[line] = waiting = [];
            }

            waiting.Add((call.QueuedAt, call.CallId));
            return waiting.Min == (call.QueuedAt, call.CallId);
        }
    }

    private void LeaveLine((Guid Tenant, string Group) line, QueuedCall call)
    {
        bool wasHead;
        lock (_lines)
        {
            if (!_lines.TryGetValue(line, out var waiting))
            {
                return;
            }

            wasHead = waiting.Count > 0 && waiting.Min == (call.QueuedAt, call.CallId);
            if (waiting.Remove((call.QueuedAt, call.CallId)) && waiting.Count == 0)
            {
                _lines.Remove(line);
            }
        }

        if (wasHead)
        {
            Wake();
        }
    }

    /// <summary>Rings one offered agent and waits for the answer, the phone giving up, the customer leaving or the deadline.</summary>
    private async Task<WaitResult> RingAsync(QueuedCall call, AgentSeat seat, ChannelReader<LegEvent> customer, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        CallLegId leg;
        try
        {
            leg = await _phones.RingAsync(seat, call, _options.RingTimeout, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.Net.Sockets.SocketException)
        {
            // The seat is ready on the board but its phone is not reachable (not registered):
            // it is as good as an offer nobody answered.
            _logger.LogWarning("Agent {Agent} of call {Call} could not be rung: {Error}", seat.AgentId, call.CallId, e.Message);
            await EndOfferAsync(call, seat.AgentId, OfferEndReason.Unanswered, CancellationToken.None);
            return new WaitResult.Missed();
        }

        var agent = Channel.CreateUnbounded<LegEvent>();
        var agentWatch = _hub.Watch(leg, agent.Writer);
        var connected = false;
        var renewAt = Now + (_options.ClaimLease / 3);
        try
        {
            while (true)
            {
                if (TakeHangup(customer) is { } gone)
                {
                    await HangUpQuietlyAsync(leg);
                    await EndOfferAsync(call, seat.AgentId, OfferEndReason.Withdrawn, CancellationToken.None);
                    return new WaitResult.CallerHungUp(gone);
                }

                while (agent.Reader.TryRead(out var e))
                {
                    switch (e)
                    {
                        case LegEvent.Answered:
                            if (await ConnectAsync(call, seat, leg, cancellationToken))
                            {
                                connected = true;
                                return new WaitResult.Connected(new AgentLeg(seat, leg, agent, agentWatch));
                            }

                            await HangUpQuietlyAsync(leg);
                            await EndOfferAsync(call, seat.AgentId, OfferEndReason.Withdrawn, CancellationToken.None);
                            return new WaitResult.CallerHungUp(null);
                        case LegEvent.Hungup h:
                            var declined = h.Reason is CallCloseReason.BBusy or CallCloseReason.ABusy;
                            await EndOfferAsync(call, seat.AgentId, declined ? OfferEndReason.Declined : OfferEndReason.Unanswered, CancellationToken.None);
                            return new WaitResult.Missed();
                    }
                }

                if (Now >= deadline)
                {
                    await HangUpQuietlyAsync(leg);
                    await EndOfferAsync(call, seat.AgentId, OfferEndReason.Withdrawn, CancellationToken.None);
                    return new WaitResult.TimedOut();
                }

                if (Now >= renewAt)
                {
                    // A long ring must not look like a dead node to the reaper.
                    await RenewClaimAsync(call, cancellationToken);
                    renewAt = Now + (_options.ClaimLease / 3);
                }

                await WaitAnyAsync([customer, agent.Reader], Min(deadline, renewAt), null, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await HangUpQuietlyAsync(leg);
            await EndOfferAsync(call, seat.AgentId, OfferEndReason.Withdrawn, CancellationToken.None);
            throw;
        }
        finally
        {
            if (!connected)
            {
                agentWatch.Dispose();
            }
        }
    }

    /// <summary>
    /// The agent picked up: bridge first (the customer must never hear silence from a connected
    /// call), then record it. False when the customer's leg went away in the meantime.
    /// </summary>
    private async Task<bool> ConnectAsync(QueuedCall call, AgentSeat seat, CallLegId agentLeg, CancellationToken cancellationToken)
    {
        try
        {
            await Control.BridgeAsync(call.Leg, agentLeg);
        }
        catch (InvalidOperationException e)
        {
            _logger.LogInformation("Call {Call} could not be bridged to agent {Agent}: {Error}", call.CallId, seat.AgentId, e.Message);
            return false;
        }

        var now = Now;
        try
        {
            await AppendAsync(
                call,
                seat.AgentId,
                new AgentCommand.AcceptCall(seat.AgentId, call.CallId, now),
                new CallCommand.ConnectAgent(call.CallId, seat.AgentId, now),
                (connection, transaction, ct) => SetClaimAsync(connection, transaction, call, "connected", seat.AgentId, ct),
                cancellationToken);
        }
        catch (Domain.DomainException e)
        {
            // The call ended (the dialer closed it as the customer hung up) between the answer and
            // this append: nothing was written; the agent's ring is withdrawn by the caller.
            _logger.LogInformation("Call {Call} could not be connected to agent {Agent}: {Error}", call.CallId, seat.AgentId, e.Message);
            await Control.UnbridgeAsync(agentLeg);
            return false;
        }
        _logger.LogInformation("Call {Call} connected to agent {Agent}", call.CallId, seat.AgentId);
        if (_recorder is not null)
        {
            await _recorder.StartAsync(Control, call.TenantId, call.CallId, call.Leg, cancellationToken);
        }

        return true;
    }

    private Task EndOfferAsync(QueuedCall call, Guid agentId, OfferEndReason reason, CancellationToken cancellationToken)
    {
        var now = Now;
        Wake();
        return AppendAsync(
            call,
            agentId,
            new AgentCommand.EndOffer(agentId, call.CallId, reason, now),
            new CallCommand.WithdrawOffer(call.CallId, agentId, now),
            (connection, transaction, ct) => SetClaimAsync(connection, transaction, call, "waiting", null, ct),
            cancellationToken);
    }

    private async Task HangUpQuietlyAsync(CallLegId leg, CallCloseReason reason = CallCloseReason.Normal)
    {
        try
        {
            await Control.HangUpAsync(leg, reason);
        }
        catch (InvalidOperationException)
        {
            // Already gone: its Hungup is on its way.
        }
    }

    private async Task RunCallAsync(QueuedCall call, CallCommand command, CancellationToken cancellationToken) =>
        await CommandRunner.RunAsync(
            _store, Deciders.Call, Deciders.TenantKey(call.TenantId), Deciders.Call.StreamId(call.CallId), command,
            metadata: Metadata(call), cancellationToken: cancellationToken);

    private static EventMetadata Metadata(QueuedCall call) => new(CorrelationId: call.CallId.ToString(), User: "acd");

    private static LegEvent.Hungup? TakeHangup(ChannelReader<LegEvent> leg)
    {
        while (leg.TryRead(out var e))
        {
            if (e is LegEvent.Hungup h)
            {
                return h;
            }
        }

        return null;
    }

    /// <summary>Waits for a leg event, an agent freed by this process, the next poll, or the deadline.</summary>
    private Task PauseAsync(ChannelReader<LegEvent> customer, DateTimeOffset deadline, Task woken, CancellationToken cancellationToken) =>
        WaitAnyAsync([customer], deadline, woken, cancellationToken);

    private async Task WaitAnyAsync(IReadOnlyList<ChannelReader<LegEvent>> legs, DateTimeOffset deadline, Task? woken, CancellationToken cancellationToken)
    {
        var left = deadline - Now;
        if (left <= TimeSpan.Zero)
        {
            return;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var waits = legs.Select(l => (Task)l.WaitToReadAsync(done.Token).AsTask()).ToList();
        waits.Add(Task.Delay(woken is not null ? Min(left, _options.PollInterval) : left, _options.Time, done.Token));
        if (woken is not null)
        {
            waits.Add(woken);
        }

        await Task.WhenAny(waits);
        await done.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        _stop.Token.ThrowIfCancellationRequested();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Something this process did may have freed an agent: waiting calls look at the board now.</summary>
    private void Wake() => Interlocked.Exchange(ref _wake, NewWake()).TrySetResult();

    /// <summary>Stops waiting and carrying; safe to call more than once (a container may hold it under several services).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        foreach (var carried in _carried.Values)
        {
            await carried.Carrier.ConfigureAwait(false);
        }

        await Task.WhenAll(_placing.Values).ConfigureAwait(false);

        _stop.Dispose();
    }

    /// <summary>How waiting for one agent (or a whole queue) ended.</summary>
    private abstract record WaitResult
    {
        private WaitResult()
        {
        }

        public sealed record Connected(AgentLeg Agent) : WaitResult;

        public sealed record TimedOut : WaitResult;

        /// <summary><paramref name="Hangup"/> is null when the leg vanished without its event being seen yet.</summary>
        public sealed record CallerHungUp(LegEvent.Hungup? Hangup) : WaitResult;

        public sealed record Missed : WaitResult;
    }

    /// <summary>The agent side of a connected call: the seat, its leg and that leg's events.</summary>
    private sealed record AgentLeg(AgentSeat Seat, CallLegId Leg, Channel<LegEvent> Events, IDisposable Watch);
}
