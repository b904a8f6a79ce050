using System.Collections.Immutable;

namespace Aicc.Domain.Numbers;

/// <summary>A number currently leased to an agent.</summary>
public sealed record ActiveLease(Guid LeaseId, string Number, string AgentId, DateTimeOffset ExpiresAt);

/// <summary>
/// The leases of one pool: which numbers are held by whom until when. A lease past its expiry
/// no longer blocks the number even before <see cref="NumberLeaseEvent.LeaseExpired"/> is recorded,
/// so a crashed scheduler cannot keep numbers locked.
/// </summary>
public sealed record NumberLeaseBook(ImmutableDictionary<string, ActiveLease> ByNumber)
{
    public static NumberLeaseBook Empty { get; } = new(ImmutableDictionary<string, ActiveLease>.Empty);

    /// <summary>Numbers held right now (for the caller-number chooser).</summary>
    public ImmutableHashSet<string> HeldAt(DateTimeOffset now) =>
        [.. ByNumber.Values.Where(l => l.ExpiresAt > now).Select(l => l.Number)];

    public ActiveLease? Find(Guid leaseId) => ByNumber.Values.FirstOrDefault(l => l.LeaseId == leaseId);
}

/// <summary>Decides lease requests: no number is leased twice at once, one number per agent.</summary>
public static class NumberLeaseDecider
{
    public static Common.Decider<NumberLeaseCommand, NumberLeaseEvent, NumberLeaseBook> Definition { get; } = new(Decide, Evolve, NumberLeaseBook.Empty);

    public static IReadOnlyList<NumberLeaseEvent> Decide(NumberLeaseCommand command, NumberLeaseBook state) => command switch
    {
        NumberLeaseCommand.AcquireLease c => Acquire(c, state),
        NumberLeaseCommand.RenewLease c => Renew(c, state),
        NumberLeaseCommand.ReleaseLease c => state.Find(c.LeaseId) is { } lease
            ? [new NumberLeaseEvent.LeaseReleased(c.PoolId, lease.LeaseId, lease.Number, c.Reason, c.Now)]
            : [],
        NumberLeaseCommand.ExpireLeases c => [.. state.ByNumber.Values
            .Where(l => l.ExpiresAt <= c.Now)
            .OrderBy(l => l.ExpiresAt)
            .Select(l => new NumberLeaseEvent.LeaseExpired(c.PoolId, l.LeaseId, l.Number, l.ExpiresAt))],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown lease command"),
    };

    public static NumberLeaseBook Evolve(NumberLeaseBook state, NumberLeaseEvent e) => e switch
    {
        NumberLeaseEvent.LeaseGranted g => state with { ByNumber = state.ByNumber.SetItem(g.Number, new ActiveLease(g.LeaseId, g.Number, g.AgentId, g.ExpiresAt)) },
        NumberLeaseEvent.LeaseRenewed r when state.ByNumber.TryGetValue(r.Number, out var lease) && lease.LeaseId == r.LeaseId =>
            state with { ByNumber = state.ByNumber.SetItem(r.Number, lease with { ExpiresAt = r.ExpiresAt }) },
        NumberLeaseEvent.LeaseReleased r => Remove(state, r.Number, r.LeaseId),
        NumberLeaseEvent.LeaseExpired x => Remove(state, x.Number, x.LeaseId),
        _ => state,
    };

    private static IReadOnlyList<NumberLeaseEvent> Acquire(NumberLeaseCommand.AcquireLease c, NumberLeaseBook state)
    {
        if (c.Duration <= TimeSpan.Zero)
        {
            throw new NumberLeaseException("lease.duration_invalid", "a lease needs a positive duration");
        }

        var events = new List<NumberLeaseEvent>();
        if (state.ByNumber.TryGetValue(c.Number, out var current))
        {
            if (current.LeaseId == c.LeaseId)
            {
                return [];
            }

            if (current.ExpiresAt > c.Now)
            {
                throw new NumberLeaseException("number.leased", $"{c.Number} is leased to {current.AgentId} until {current.ExpiresAt:O}");
            }

            events.Add(new NumberLeaseEvent.LeaseExpired(c.PoolId, current.LeaseId, current.Number, current.ExpiresAt));
        }

        foreach (var held in state.ByNumber.Values.Where(l => l.AgentId == c.AgentId && l.Number != c.Number))
        {
            events.Add(held.ExpiresAt > c.Now
                ? new NumberLeaseEvent.LeaseReleased(c.PoolId, held.LeaseId, held.Number, LeaseEndReason.Replaced, c.Now)
                : new NumberLeaseEvent.LeaseExpired(c.PoolId, held.LeaseId, held.Number, held.ExpiresAt));
        }

        events.Add(new NumberLeaseEvent.LeaseGranted(c.PoolId, c.LeaseId, c.Number, c.AgentId, c.Now, c.Now + c.Duration));
        return events;
    }

    private static IReadOnlyList<NumberLeaseEvent> Renew(NumberLeaseCommand.RenewLease c, NumberLeaseBook state)
    {
        var lease = state.Find(c.LeaseId)
            ?? throw new NumberLeaseException("lease.not_active", $"lease {c.LeaseId} is not active (released or expired)");
        if (lease.ExpiresAt <= c.Now)
        {
            throw new NumberLeaseException("lease.expired", $"lease {c.LeaseId} expired at {lease.ExpiresAt:O}; acquire the number again");
        }

        return [new NumberLeaseEvent.LeaseRenewed(c.PoolId, lease.LeaseId, lease.Number, c.Now, c.Now + c.Duration)];
    }

    private static NumberLeaseBook Remove(NumberLeaseBook state, string number, Guid leaseId) =>
        state.ByNumber.TryGetValue(number, out var lease) && lease.LeaseId == leaseId
            ? state with { ByNumber = state.ByNumber.Remove(number) }
            : state;
}
