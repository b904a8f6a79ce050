using System.Diagnostics;

namespace Aicc.Telephony.Media;

/// <summary>Something the media clock drives every 20 ms. Must not block: it runs on the clock's thread.</summary>
public interface IMediaClockClient
{
    void OnTick(long tick);
}

/// <summary>
/// The 20 ms pacing clock shared by every call leg of a process. One dedicated thread per worker
/// wakes on absolute deadlines (start + n x 20 ms, so sleeping late never accumulates drift) and
/// runs each registered leg's tick: pull a frame from the jitter buffer, send a frame. One timer
/// for all legs keeps a thousand calls from costing a thousand timers; clients are spread over
/// <c>workers</c> threads so the work uses more than one core. If a tick overruns so far that the
/// clock is more than <see cref="MaxCatchUpTicks"/> behind, it skips ahead instead of bursting,
/// because a burst of packets is worse for the peer's jitter buffer than a gap.
/// </summary>
public sealed class MediaClock : IDisposable
{
    /// <summary>Ticks the clock may run late and still catch up one by one.</summary>
    public const int MaxCatchUpTicks = 5;

    private readonly Worker[] _workers;
    private readonly TimeSpan _period;
    private int _nextWorker;

    public MediaClock(int workers = 1, TimeSpan? period = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ThreadPoolFloor.Ensure();
        _period = period ?? TimeSpan.FromMilliseconds(Codecs.FrameFormat.FrameMilliseconds);
        var start = Stopwatch.GetTimestamp();
        _workers = Enumerable.Range(0, workers).Select(i => new Worker(this, i, start)).ToArray();
    }

    public TimeSpan Period => _period;

    /// <summary>Ticks skipped because the clock fell too far behind (sum over workers).</summary>
    public long SkippedTicks => _workers.Sum(w => w.Skipped);

    /// <summary>Exceptions thrown by clients (they are caught so one leg cannot stop every call).</summary>
    public long ClientFaults => _workers.Sum(w => w.Faults);

    /// <summary>The last exception a client threw, for diagnosis.</summary>
    public Exception? LastFault { get; private set; }

    /// <summary>Ticks run so far by the first worker.</summary>
    public long Ticks => _workers[0].Tick;

    /// <summary>CPU-busy share of the tick period, averaged over workers (0 to 1): the clock's headroom.</summary>
    public double Load => _workers.Average(w => w.Load);

    public void Register(IMediaClockClient client)
    {
        var worker = _workers[(int)((uint)Interlocked.Increment(ref _nextWorker) % _workers.Length)];
        worker.Add(client);
    }

    public void Unregister(IMediaClockClient client)
    {
        foreach (var worker in _workers)
        {
            worker.Remove(client);
        }
    }

    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Stop();
        }
    }

    private sealed class Worker
    {
        private readonly MediaClock _clock;
        private readonly Thread _thread;
        private readonly long _start;
        private readonly object _gate = new();
        private IMediaClockClient[] _clients = [];
        private volatile bool _running = true;
        private long _busyTicks;
        private long _measuredSince;

        public Worker(MediaClock clock, int index, long start)
        {
            _clock = clock;
            _start = start;
            _measuredSince = start;
            _thread = new Thread(Run) { IsBackground = true, Name = $"media-clock-{index}", Priority = ThreadPriority.AboveNormal };
            _thread.Start();
        }

        public long Tick { get; private set; }

        public long Skipped { get; private set; }

        public long Faults { get; private set; }

        public double Load { get; private set; }

        public void Add(IMediaClockClient client)
        {
            lock (_gate)
            {
                _clients = [.. _clients, client];
            }
        }

        public void Remove(IMediaClockClient client)
        {
            lock (_gate)
            {
                _clients = _clients.Where(c => !ReferenceEquals(c, client)).ToArray();
            }
        }

        public void Stop()
        {
            _running = false;
            _thread.Join();
        }

        private void Run()
        {
            RealtimePriority.TryRaiseCurrentThread();
            var periodTicks = (long)(_clock._period.TotalSeconds * Stopwatch.Frequency);
            var next = _start + periodTicks;
            while (_running)
            {
                var now = Stopwatch.GetTimestamp();
                var wait = next - now;
                if (wait > 0)
                {
                    // Round up rather than spin: waking a millisecond late costs nothing (packet
                    // timestamps are fixed by the tick count), spinning costs a core.
                    Thread.Sleep((int)Math.Ceiling(wait * 1000.0 / Stopwatch.Frequency));
                    continue;
                }
                if (-wait > periodTicks * MaxCatchUpTicks)
                {
                    var behind = -wait / periodTicks;
                    Skipped += behind;
                    next += behind * periodTicks;
                }
                var began = Stopwatch.GetTimestamp();
                var tick = ++Tick;
                foreach (var client in _clients)
                {
                    try
                    {
                        client.OnTick(tick);
                    }
                    catch (Exception e)
                    {
                        Faults++;
                        _clock.LastFault = e;
                    }
                }
                var ended = Stopwatch.GetTimestamp();
                _busyTicks += ended - began;
                if (ended - _measuredSince >= Stopwatch.Frequency)
                {
                    Load = (double)_busyTicks / (ended - _measuredSince);
                    _busyTicks = 0;
                    _measuredSince = ended;
                }
                next += periodTicks;
            }
        }
    }
}
