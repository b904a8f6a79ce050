namespace Aicc.Handlers.Messaging;

/// <summary>
/// How often and how patiently a failed scheduled message or outbox delivery is tried again:
/// exponential back-off (base, 2 x base, 4 x base ... capped) until <see cref="MaxAttempts"/>,
/// after which the message goes to its dead-letter table for an operator.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static RetryPolicy Default { get; } = new(MaxAttempts: 8, BaseDelay: TimeSpan.FromSeconds(2), MaxDelay: TimeSpan.FromMinutes(10));

    /// <summary>The wait before the next try after <paramref name="attempt"/> (1-based) failed.</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ticks = BaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>True when the attempt that just failed was the last one allowed.</summary>
    public bool IsExhausted(int attempt) => attempt >= MaxAttempts;
}
