namespace Aicc.Telephony.Media;

public sealed partial class MediaBridge
{
    private MonitorMixer? _mixer;

    /// <summary>The attached third leg, if any.</summary>
    public MediaLeg? Monitor { get; private set; }

    /// <summary>The bridged leg the monitor coaches in whisper mode.</summary>
    public MediaLeg? Coached { get; private set; }

    /// <summary>The mode of the attached monitor; null when none is attached.</summary>
    public MonitorMode? MonitorMode => _mixer?.Mode;

    /// <summary>The mixer carrying the three legs while a monitor is attached (for its counters).</summary>
    public MonitorMixer? Mixer => _mixer;

    /// <summary>
    /// Attaches <paramref name="monitor"/> in <paramref name="mode"/>; <paramref name="agent"/>
    /// (one of the two bridged legs) is the one that hears the monitor in whisper mode. If the
    /// same monitor is attached already only the mode changes, from the next tick.
    /// </summary>
    public async Task AttachMonitorAsync(MediaLeg monitor, MediaLeg agent, MonitorMode mode)
    {
        if (!ReferenceEquals(agent, A) && !ReferenceEquals(agent, B))
        {
            throw new ArgumentException("The coached leg must be one of the bridged legs.", nameof(agent));
        }

        if (ReferenceEquals(monitor, A) || ReferenceEquals(monitor, B))
        {
            throw new ArgumentException("A bridged leg cannot monitor its own bridge.", nameof(monitor));
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_mixer is { } running)
            {
                if (!ReferenceEquals(Monitor, monitor) || !ReferenceEquals(Coached, agent))
                {
                    throw new InvalidOperationException("Another monitor is attached to this bridge.");
                }

                running.Mode = mode;
                return;
            }

            // The pumps and the mixer must never read the same inbound channel at once.
            await StopPumpsAsync().ConfigureAwait(false);
            var customer = ReferenceEquals(agent, A) ? B : A;
            var mixer = new MonitorMixer(customer.Inbound, customer.Outbound, agent.Inbound, agent.Outbound, monitor.Inbound, monitor.Outbound, mode);
            Monitor = monitor;
            Coached = agent;
            _mixer = mixer;
            agent.Clock.Register(mixer);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Detaches the monitor: the two parties hear each other through the plain pumps again.</summary>
    public async Task DetachMonitorAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed || _mixer is null)
            {
                return;
            }

            StopMixer();
            _stop = new CancellationTokenSource();
            _pumps = StartPumps(_stop.Token);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void StopMixer()
    {
        if (_mixer is not { } mixer)
        {
            return;
        }

        Coached!.Clock.Unregister(mixer);
        mixer.Stop();
        _mixer = null;
        Monitor = null;
        Coached = null;
    }
}
