namespace Aicc.EventStore;

/// <summary>
/// What the appender believes about a stream's version: the optimistic-concurrency check that
/// turns a lost race into a typed conflict instead of a silently interleaved history.
/// </summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(long value) => Value = value;

    /// <summary>-1 for <see cref="Any"/>, 0 for <see cref="NoStream"/>, otherwise the exact version.</summary>
    public long Value { get; }

    /// <summary>The stream must not exist yet (its first event gets version 1).</summary>
    public static ExpectedVersion NoStream { get; } = new(0);

    /// <summary>No check: append after whatever is there (creating the stream if needed).</summary>
    public static ExpectedVersion Any { get; } = new(-1);

    /// <summary>The stream's last event must have exactly this version (1 after one event).</summary>
    public static ExpectedVersion Exact(long version) => version switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(version), version, "A stream version is never negative."),
        _ => new ExpectedVersion(version),
    };

    public bool IsAny => Value < 0;

    public override string ToString() => Value switch
    {
        < 0 => "any",
        0 => "no stream",
        _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
