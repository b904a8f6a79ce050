namespace Aicc.Telephony.Sip.Transactions;

/// <summary>
/// The RFC 3261 timer base values (§17.1.1.1, Table 4). T1 is the round-trip estimate, T2
/// caps non-INVITE retransmission intervals, T4 is how long the network keeps a message.
/// </summary>
public sealed record SipTimers(TimeSpan T1, TimeSpan T2, TimeSpan T4)
{
    public static SipTimers Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));

    /// <summary>Timers B, F, H and J: 64*T1 (§17).</summary>
    public TimeSpan TransactionTimeout => T1 * 64;

    /// <summary>Timer D for unreliable transports: at least 32 s (§17.1.1.2).</summary>
    public TimeSpan TimerD => TimeSpan.FromSeconds(32);
}

/// <summary>
/// One restartable one-shot timer on the injected clock. The callback runs under the
/// transaction layer's lock and only if the timer was not stopped or restarted meanwhile,
/// so a late tick never acts on a state it was not armed for.
/// </summary>
internal sealed class TransactionTimer(TimeProvider time, Action<Action> runLocked, Action onFire) : IDisposable
{
    private ITimer? _timer;
    private long _generation;

    public TimeSpan Interval { get; private set; }

    public bool IsRunning => _timer is not null;

    public void Start(TimeSpan due)
    {
        Stop();
        Interval = due;
        var generation = ++_generation;
        _timer = time.CreateTimer(_ => Fire(generation), null, due, Timeout.InfiniteTimeSpan);
    }

    public void Stop()
    {
        _timer?.Dispose();
        _timer = null;
        _generation++;
    }

    public void Dispose() => Stop();

    private void Fire(long generation)
    {
        runLocked(() =>
        {
            if (generation != _generation || _timer is null)
            {
                return;
            }

            _timer.Dispose();
            _timer = null;
            onFire();
        });
    }
}
