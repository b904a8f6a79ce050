using System.Collections.Immutable;

namespace Aicc.Domain.Compliance;

/// <summary>The tenant-wide lists a number can be on (seed 002/003).</summary>
public enum DialListKind
{
    /// <summary>Always allowed (internal test numbers), even past limits and windows.</summary>
    Whitelist,

    /// <summary>Never called (abusive callees, fraud).</summary>
    Blacklist,

    /// <summary>Asked not to be called again (禁拨名单).</summary>
    DoNotCall,
}

/// <summary>Who put a number on a list, for the supervisor's audit.</summary>
public enum ListingSource
{
    Agent,
    Robot,
    Api,
    Import,
}

/// <summary>A number's place on a list and how it got there.</summary>
public sealed record ListEntry(string Number, ListingSource Source, string Reason, DateTimeOffset ListedAt);

/// <summary>Changes to a tenant's white, black and do-not-call lists.</summary>
public abstract record DialListEvent
{
    private DialListEvent()
    {
    }

    /// <summary>The number is on the list from now on (an agent's button, the robot's do_not_call intent, the API).</summary>
    public sealed record NumberListed(string TenantId, DialListKind List, string Number, ListingSource Source, string Reason, DateTimeOffset ListedAt) : DialListEvent;

    /// <summary>The number was taken off the list.</summary>
    public sealed record NumberUnlisted(string TenantId, DialListKind List, string Number, string Reason, DateTimeOffset UnlistedAt) : DialListEvent;

    /// <summary>The tenant's per-callee and per-pair contact limits changed (the per-task rate is a task setting).</summary>
    public sealed record LimitsSet(string TenantId, ContactLimits Limits, DateTimeOffset SetAt) : DialListEvent;
}

/// <summary>Requests to change a tenant's lists.</summary>
public abstract record DialListCommand
{
    private DialListCommand()
    {
    }

    public sealed record ListNumber(string TenantId, DialListKind List, string Number, ListingSource Source, string Reason, DateTimeOffset Now) : DialListCommand;

    public sealed record UnlistNumber(string TenantId, DialListKind List, string Number, string Reason, DateTimeOffset Now) : DialListCommand;

    public sealed record SetLimits(string TenantId, ContactLimits Limits, DateTimeOffset Now) : DialListCommand;
}

/// <summary>A tenant's three lists.</summary>
public sealed record DialLists(ImmutableDictionary<DialListKind, ImmutableDictionary<string, ListEntry>> Lists)
{
    public static DialLists Empty { get; } = new(ImmutableDictionary<DialListKind, ImmutableDictionary<string, ListEntry>>.Empty);

    public ListEntry? Entry(DialListKind list, string number) =>
        Lists.TryGetValue(list, out var entries) ? entries.GetValueOrDefault(number) : null;

    public bool Contains(DialListKind list, string number) => Entry(list, number) is not null;

    /// <summary>The tenant's contact limits: at most one reached call per callee per 3 days unless changed.</summary>
    public ContactLimits Limits { get; init; } = new();
}

/// <summary>Decides list changes; listing a listed number again changes nothing.</summary>
public static class DialListDecider
{
    public static Common.Decider<DialListCommand, DialListEvent, DialLists> Definition { get; } = new(Decide, Evolve, DialLists.Empty);

    public static IReadOnlyList<DialListEvent> Decide(DialListCommand command, DialLists state) => command switch
    {
        DialListCommand.ListNumber c when string.IsNullOrWhiteSpace(c.Number) =>
            throw new ArgumentException("a number is required", nameof(command)),
        DialListCommand.ListNumber c => state.Contains(c.List, c.Number)
            ? []
            : [new DialListEvent.NumberListed(c.TenantId, c.List, c.Number, c.Source, c.Reason, c.Now)],
        DialListCommand.UnlistNumber c => state.Contains(c.List, c.Number)
            ? [new DialListEvent.NumberUnlisted(c.TenantId, c.List, c.Number, c.Reason, c.Now)]
            : [],
        DialListCommand.SetLimits c when c.Limits.PerCalleeMax is < 1 || c.Limits.PerPairMax is < 1 || c.Limits.CalleePeriod <= TimeSpan.Zero || c.Limits.PairPeriod <= TimeSpan.Zero =>
            throw new DomainException("dial_limits.invalid", "Limits are at least 1 call over a positive period (or null for none)."),
        DialListCommand.SetLimits c => c.Limits == state.Limits ? [] : [new DialListEvent.LimitsSet(c.TenantId, c.Limits, c.Now)],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown list command"),
    };

    public static DialLists Evolve(DialLists state, DialListEvent e) => e switch
    {
        DialListEvent.NumberListed l => state with
        {
            Lists = state.Lists.SetItem(l.List, state.Lists.GetValueOrDefault(l.List, ImmutableDictionary<string, ListEntry>.Empty)
                .SetItem(l.Number, new ListEntry(l.Number, l.Source, l.Reason, l.ListedAt))),
        },
        DialListEvent.NumberUnlisted u when state.Lists.TryGetValue(u.List, out var entries) => state with
        {
            Lists = state.Lists.SetItem(u.List, entries.Remove(u.Number)),
        },
        DialListEvent.LimitsSet l => state with { Limits = l.Limits },
        _ => state,
    };
}
