using System.Collections.Immutable;

namespace Aicc.Domain.Numbers;

/// <summary>
/// When each caller number was used in the last 24 hours: what the daily and hourly caps are
/// checked against and what spreads load evenly. Folded from call-placed events.
/// </summary>
public sealed record NumberUsage(ImmutableDictionary<string, ImmutableQueue<DateTimeOffset>> Uses)
{
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    public static NumberUsage Empty { get; } = new(ImmutableDictionary<string, ImmutableQueue<DateTimeOffset>>.Empty);

    /// <summary>Adds one call on the number at the given time, forgetting uses older than a day.</summary>
    public NumberUsage Record(string number, DateTimeOffset at)
    {
        var uses = Uses.GetValueOrDefault(number, ImmutableQueue<DateTimeOffset>.Empty);
        while (!uses.IsEmpty && uses.Peek() <= at - Day)
        {
            uses = uses.Dequeue();
        }

        return new NumberUsage(Uses.SetItem(number, uses.Enqueue(at)));
    }

    /// <summary>Calls on the number in the window ending now.</summary>
    public int CallsWithin(string number, DateTimeOffset now, TimeSpan window) =>
        Uses.TryGetValue(number, out var uses) ? uses.Count(at => at > now - window && at <= now) : 0;

    /// <summary>The number's last use, if any.</summary>
    public DateTimeOffset? LastUse(string number) =>
        Uses.TryGetValue(number, out var uses) && !uses.IsEmpty ? uses.Max() : null;
}
