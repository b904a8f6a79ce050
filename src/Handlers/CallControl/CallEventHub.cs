using System.Threading.Channels;
using Aicc.Telephony.CallControl;

namespace Aicc.Handlers.CallControl;

/// <summary>
/// The one reader of a process's <see cref="ICallControl.Events"/>. Several parts of the
/// platform own legs of the same call control (the task dialer places calls, the switchboard
/// answers inbound ones and rings agents, an agent's manual call), and a channel has one
/// reader: the hub hands each leg's events to whoever watches that leg and new inbound legs to
/// <see cref="Incoming"/>. Events that arrive before anyone watches a leg (a 180 racing the
/// return of <see cref="ICallControl.OriginateAsync"/>) are kept and replayed to the first
/// watcher, so no owner ever misses the start of its leg.
/// </summary>
public sealed class CallEventHub : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<CallLegId, List<ChannelWriter<CallEvent>>> _watchers = [];
    private readonly Dictionary<CallLegId, List<CallEvent>> _early = [];
    private readonly Channel<CallEvent.Incoming> _incoming = Channel.CreateUnbounded<CallEvent.Incoming>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly TimeProvider _time;
    private readonly TimeSpan _earlyRetention;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    /// <summary>Starts reading <paramref name="control"/>'s events at once.</summary>
    /// <param name="earlyRetention">How long events of a leg nobody watches are kept for a late watcher.</param>
    public CallEventHub(ICallControl control, TimeProvider? time = null, TimeSpan? earlyRetention = null)
    {
        Control = control;
        _time = time ?? TimeProvider.System;
        _earlyRetention = earlyRetention ?? TimeSpan.FromMinutes(2);
        _pump = Task.Run(() => PumpAsync(_stop.Token));
    }

    /// <summary>The call control whose events this hub distributes; act on legs through it.</summary>
    public ICallControl Control { get; }

    /// <summary>New inbound calls; whoever reads one and wants its leg's later events must <see cref="Watch"/> it.</summary>
    public ChannelReader<CallEvent.Incoming> Incoming => _incoming.Reader;

    /// <summary>
    /// Sends every event of <paramref name="leg"/> to <paramref name="inbox"/> (after the ones
    /// that arrived before this call), until the leg hangs up or the returned subscription is
    /// disposed. The inbox must accept writes without waiting (an unbounded channel): the hub
    /// never blocks every leg for one slow owner. Several watchers of one leg each get every
    /// event (the dialer keeps counting a call it handed to the switchboard).
    /// </summary>
    public IDisposable Watch(CallLegId leg, ChannelWriter<CallEvent> inbox)
    {
        lock (_gate)
        {
            if (_early.Remove(leg, out var early))
            {
                foreach (var e in early)
                {
                    inbox.TryWrite(e);
                }

                if (early.Any(e => e is CallEvent.Hungup))
                {
                    // The leg is already over: nothing more will come for it.
                    return new Subscription(this, leg, inbox);
                }
            }

            if (!_watchers.TryGetValue(leg, out var list))
            {
                _watchers[leg] = list = [];
            }

            list.Add(inbox);
        }

        return new Subscription(this, leg, inbox);
    }

    /// <summary>Legs with at least one watcher (for diagnostics and tests).</summary>
    public int WatchedLegs
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    private void Unwatch(CallLegId leg, ChannelWriter<CallEvent> inbox)
    {
        lock (_gate)
        {
            if (_watchers.TryGetValue(leg, out var list) && list.Remove(inbox) && list.Count == 0)
            {
                _watchers.Remove(leg);
            }
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in Control.Events.ReadAllAsync(cancellationToken))
            {
                if (e is CallEvent.Incoming incoming)
                {
                    _incoming.Writer.TryWrite(incoming);
                    continue;
                }

                Deliver(e);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    private void Deliver(CallEvent e)
    {
        lock (_gate)
        {
            if (_watchers.TryGetValue(e.Leg, out var list))
            {
                // Written under the gate, so a leg's events reach each watcher in order even
                // while another thread replays early events to a new watcher.
                list.RemoveAll(inbox => !inbox.TryWrite(e));
                if (e is CallEvent.Hungup || list.Count == 0)
                {
                    _watchers.Remove(e.Leg);
                }

                return;
            }

            if (!_early.TryGetValue(e.Leg, out var early))
            {
                _early[e.Leg] = early = [];
            }

            early.Add(e);
            ForgetStaleEarlyEvents();
        }
    }

    private void ForgetStaleEarlyEvents()
    {
        var cutoff = _time.GetUtcNow() - _earlyRetention;
        foreach (var (leg, _) in _early.Where(kv => kv.Value[^1].At < cutoff).ToList())
        {
            _early.Remove(leg);
        }
    }

    /// <summary>Stops reading; the call control itself belongs to whoever created it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        _stop.Dispose();
    }

    private sealed class Subscription(CallEventHub hub, CallLegId leg, ChannelWriter<CallEvent> inbox) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                hub.Unwatch(leg, inbox);
            }
        }
    }
}
