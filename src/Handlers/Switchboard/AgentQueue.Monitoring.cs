using System.Collections.Concurrent;
using System.Threading.Channels;
using Aicc.Domain;
using Aicc.Domain.Calls;
using Aicc.Handlers.Commands;
using Aicc.EventStore;
using Microsoft.Extensions.Logging;
using LegEvent = Aicc.Telephony.CallControl.CallEvent;
using MediaMonitorMode = Aicc.Telephony.Media.MonitorMode;

namespace Aicc.Handlers.Switchboard;

public sealed partial class AgentQueue : ICallMonitorDesk
{
    /// <summary>Supervisors' sessions by call: at most one per call (the call's decider refuses a second).</summary>
    private readonly ConcurrentDictionary<Guid, MonitorSession> _monitors = new();

    public async Task<MonitorOutcome> MonitorAsync(Guid tenantId, Guid callId, Guid supervisorId, AgentSeat phone, MonitorMode mode, CancellationToken cancellationToken)
    {
        if (!_carried.TryGetValue(callId, out var carried) || carried.Call.TenantId != tenantId)
        {
            return MonitorOutcome.NotCarried;
        }

        if (carried.Agent is null)
        {
            return MonitorOutcome.NotWithAgent;
        }

        if (_monitors.TryGetValue(callId, out var existing))
        {
            return existing.SupervisorId == supervisorId
                ? await ChangeModeAsync(tenantId, callId, supervisorId, mode, cancellationToken)
                : MonitorOutcome.MonitoredByAnother;
        }

        var session = new MonitorSession(carried, supervisorId, mode);
        if (!_monitors.TryAdd(callId, session))
        {
            return MonitorOutcome.MonitoredByAnother;
        }

        try
        {
            session.Leg = await _phones.RingAsync(phone, carried.Call, _options.RingTimeout, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.Net.Sockets.SocketException)
        {
            _monitors.TryRemove(new KeyValuePair<Guid, MonitorSession>(callId, session));
            _logger.LogWarning("Supervisor {Supervisor}'s phone for call {Call} could not be rung: {Error}", supervisorId, callId, e.Message);
            return MonitorOutcome.PhoneUnreachable;
        }

        session.Watch = _hub.Watch(session.Leg.Value, session.Events.Writer);
        session.Runner = Task.Run(() => RunMonitorAsync(session));
        return MonitorOutcome.Ringing;
    }

    public async Task<MonitorOutcome> ChangeModeAsync(Guid tenantId, Guid callId, Guid supervisorId, MonitorMode mode, CancellationToken cancellationToken)
    {
        if (!_monitors.TryGetValue(callId, out var session) || session.Carried.Call.TenantId != tenantId || session.SupervisorId != supervisorId)
        {
            return MonitorOutcome.NotMonitoring;
        }

        await session.Gate.WaitAsync(cancellationToken);
        try
        {
            if (session.Mode == mode)
            {
                return session.Joined ? MonitorOutcome.Joined : MonitorOutcome.Ringing;
            }

            session.Mode = mode;
            if (!session.Joined)
            {
                // Still ringing: the phone joins in the mode asked last.
                return MonitorOutcome.Ringing;
            }

            var call = session.Carried.Call;
            await RunMonitorCommandAsync(session, new CallCommand.ChangeMonitorMode(call.CallId, supervisorId, mode, Now), cancellationToken);
            await AttachAsync(session);
            return MonitorOutcome.Joined;
        }
        finally
        {
            session.Gate.Release();
        }
    }

    public async Task<MonitorOutcome> LeaveAsync(Guid tenantId, Guid callId, Guid supervisorId, CancellationToken cancellationToken)
    {
        if (!_monitors.TryGetValue(callId, out var session) || session.Carried.Call.TenantId != tenantId || session.SupervisorId != supervisorId)
        {
            return MonitorOutcome.NotMonitoring;
        }

        await EndMonitorAsync(session, "left");
        return MonitorOutcome.Left;
    }

    /// <summary>The call ended, left its agent (transfer) or this process stops: the supervisor's phone is hung up.</summary>
    private async Task EndMonitorAsync(Guid callId, string reason)
    {
        if (_monitors.TryGetValue(callId, out var session))
        {
            await EndMonitorAsync(session, reason);
        }
    }

    /// <summary>After a hold the bridge is a new one: the supervisor joins it again in the same mode.</summary>
    private async Task RejoinMonitorAsync(Guid callId)
    {
        if (!_monitors.TryGetValue(callId, out var session))
        {
            return;
        }

        await session.Gate.WaitAsync();
        try
        {
            if (session.Joined)
            {
                await AttachAsync(session);
            }
        }
        catch (InvalidOperationException e)
        {
            _logger.LogWarning("Supervisor {Supervisor} could not rejoin call {Call}: {Error}", session.SupervisorId, callId, e.Message);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    private async Task EndMonitorAsync(MonitorSession session, string reason)
    {
        session.EndReason ??= reason;
        await session.Stop.CancelAsync();
        await session.Runner;
    }

    /// <summary>
    /// One supervisor's phone from ringing to leaving: on answer it joins the bridge in the mode
    /// asked for and the call records <see cref="CallEvent.MonitorStarted"/>; it ends when the
    /// phone hangs up (or never answers), when the supervisor leaves, or when the call is over.
    /// </summary>
    private async Task RunMonitorAsync(MonitorSession session)
    {
        var call = session.Carried.Call;
        var leg = session.Leg!.Value;
        var hungUp = false;
        try
        {
            while (true)
            {
                var e = await session.Events.Reader.ReadAsync(session.Stop.Token);
                if (e is LegEvent.Hungup)
                {
                    hungUp = true;
                    session.EndReason ??= session.Joined ? "supervisor hung up" : "supervisor did not answer";
                    return;
                }

                if (e is LegEvent.Answered)
                {
                    await session.Gate.WaitAsync(session.Stop.Token);
                    try
                    {
                        await AttachAsync(session);
                        await RunMonitorCommandAsync(session, new CallCommand.StartMonitor(call.CallId, session.SupervisorId, session.Mode, Now), session.Stop.Token);
                        session.Joined = true;
                        _logger.LogInformation("Supervisor {Supervisor} joined call {Call} ({Mode})", session.SupervisorId, call.CallId, session.Mode);
                    }
                    finally
                    {
                        session.Gate.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (session.Stop.IsCancellationRequested || _stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is DomainException or InvalidOperationException)
        {
            // The call ended or left its agent between the ring and the answer, or another supervisor came first.
            session.EndReason ??= e is DomainException d ? d.Code : "call not bridged";
            _logger.LogInformation("Supervisor {Supervisor} could not join call {Call}: {Error}", session.SupervisorId, call.CallId, e.Message);
        }
        finally
        {
            _monitors.TryRemove(new KeyValuePair<Guid, MonitorSession>(call.CallId, session));
            session.Watch?.Dispose();
            await Control.StopMonitorAsync(leg);
            if (!hungUp)
            {
                await HangUpQuietlyAsync(leg);
            }

            if (session.Joined)
            {
                try
                {
                    await RunMonitorCommandAsync(session, new CallCommand.EndMonitor(call.CallId, session.SupervisorId, session.EndReason ?? "left", Now), CancellationToken.None);
                }
                catch (Exception e) when (e is DomainException or WrongExpectedVersionException or Npgsql.NpgsqlException)
                {
                    _logger.LogWarning(e, "Recording the end of supervisor {Supervisor}'s monitor of call {Call} failed", session.SupervisorId, call.CallId);
                }
            }
        }
    }

    private async Task AttachAsync(MonitorSession session)
    {
        var agent = session.Carried.Agent ?? throw new InvalidOperationException("The call has no agent now.");
        await Control.MonitorAsync(agent.Leg, session.Leg!.Value, ToMedia(session.Mode));
    }

    private Task RunMonitorCommandAsync(MonitorSession session, CallCommand command, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync(
            _store, Deciders.Call, Deciders.TenantKey(session.Carried.Call.TenantId), Deciders.Call.StreamId(session.Carried.Call.CallId), command,
            metadata: new EventMetadata(CorrelationId: session.Carried.Call.CallId.ToString(), User: session.SupervisorId.ToString()),
            cancellationToken: cancellationToken);

    private static MediaMonitorMode ToMedia(MonitorMode mode) => mode switch
    {
        MonitorMode.Listen => MediaMonitorMode.Listen,
        MonitorMode.Whisper => MediaMonitorMode.Whisper,
        MonitorMode.Barge => MediaMonitorMode.Barge,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown monitor mode."),
    };

    /// <summary>A supervisor's phone on one carried call.</summary>
    private sealed class MonitorSession(CarriedCall carried, Guid supervisorId, MonitorMode mode)
    {
        public CarriedCall Carried { get; } = carried;

        public Guid SupervisorId { get; } = supervisorId;

        public MonitorMode Mode { get; set; } = mode;

        public Aicc.Telephony.CallControl.CallLegId? Leg { get; set; }

        public Channel<LegEvent> Events { get; } = Channel.CreateUnbounded<LegEvent>();

        public IDisposable? Watch { get; set; }

        public Task Runner { get; set; } = Task.CompletedTask;

        /// <summary>Orders the answer's join against mode changes and re-joins after hold.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public CancellationTokenSource Stop { get; } = new();

        public bool Joined { get; set; }

        public string? EndReason { get; set; }
    }
}
