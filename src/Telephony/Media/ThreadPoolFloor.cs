namespace Aicc.Telephony.Media;

/// <summary>
/// Raises the thread pool's floor of worker threads once per process. RTP receive
/// continuations run on the pool, and the speech engines (pocketsphinx, flite) are long
/// blocking native calls; on two cores the pool starts with two workers and adds about one
/// more per half second when they are all blocked, so a few blocked calls stopped every call's
/// RTP for 0.7-0.9 s. The robot heard that gap as the caller falling silent mid-sentence and
/// shed the late burst (issue 5, ADR 0008). Engines are kept off the pool where we own the
/// thread (flite's worker, the decoder loader, the decode workers); this floor covers the rest.
/// </summary>
public static class ThreadPoolFloor
{
    private static int _raised;

    /// <summary>
    /// Workers the pool creates without delay. Not more: at 32 on two cores, 50 robot calls'
    /// CPU work ran on so many threads at once that the decode workers starved (reply p95 657 ms
    /// against 134 ms at 8; `aicc bench robot --calls 50`, idle machine).
    /// </summary>
    public static int MinimumWorkers { get; } = Math.Max(8, 4 * Environment.ProcessorCount);

    /// <summary>Raises the floor (never lowers one set higher elsewhere); later calls do nothing.</summary>
    public static void Ensure()
    {
        if (Interlocked.Exchange(ref _raised, 1) == 1)
        {
            return;
        }

        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < MinimumWorkers)
        {
            ThreadPool.SetMinThreads(MinimumWorkers, io);
        }
    }
}
