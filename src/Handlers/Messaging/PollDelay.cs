namespace Aicc.Handlers.Messaging;

/// <summary>
/// How long a queue worker (scheduler worker, outbox relay) sleeps after a round: until the
/// next row becomes visible, never longer than the poll interval (the NOTIFY fallback), and
/// never a busy spin on a row that is visible but locked by another claimer.
/// </summary>
internal static class PollDelay
{
    private static readonly TimeSpan MinimumSleep = TimeSpan.FromMilliseconds(100);

    /// <param name="nextVisibleAt">When the next row becomes claimable; null when the queue is empty.</param>
    /// <param name="mayRunAgainAtOnce">True when this round did work, so a zero delay is real progress, not a spin.</param>
    public static TimeSpan After(DateTimeOffset? nextVisibleAt, DateTimeOffset now, TimeSpan pollInterval, bool mayRunAgainAtOnce = false)
    {
        if (nextVisibleAt is null)
        {
            return pollInterval;
        }

        var sleep = nextVisibleAt.Value - now;
        if (sleep > pollInterval)
        {
            return pollInterval;
        }

        // Visible now but not claimed by us: another claimer holds its lock. Do not spin on it.
        return sleep > TimeSpan.Zero ? sleep : mayRunAgainAtOnce ? TimeSpan.Zero : MinimumSleep;
    }
}
