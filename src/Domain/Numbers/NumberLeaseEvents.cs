namespace Aicc.Domain.Numbers;

/// <summary>Why a lease ended before its expiry.</summary>
public enum LeaseEndReason
{
    /// <summary>The agent's call ended.</summary>
    HungUp,

    /// <summary>The agent gave the number back without calling.</summary>
    Returned,

    /// <summary>The agent took another number; one number per agent at a time.</summary>
    Replaced,
}

/// <summary>
/// What happened to the caller-number leases of one pool (seed 003: a number handed to an agent
/// for manual calling is locked for that agent until hang-up or expiry).
/// </summary>
public abstract record NumberLeaseEvent
{
    private NumberLeaseEvent()
    {
    }

    public abstract string PoolId { get; init; }

    /// <summary>An agent holds the number until <paramref name="ExpiresAt"/> unless it is released or renewed.</summary>
    public sealed record LeaseGranted(string PoolId, Guid LeaseId, string Number, string AgentId, DateTimeOffset GrantedAt, DateTimeOffset ExpiresAt) : NumberLeaseEvent;

    /// <summary>The agent's page is still open: the lease lives longer (a heartbeat).</summary>
    public sealed record LeaseRenewed(string PoolId, Guid LeaseId, string Number, DateTimeOffset RenewedAt, DateTimeOffset ExpiresAt) : NumberLeaseEvent;

    /// <summary>The number is free again because the agent is done with it.</summary>
    public sealed record LeaseReleased(string PoolId, Guid LeaseId, string Number, LeaseEndReason Reason, DateTimeOffset ReleasedAt) : NumberLeaseEvent;

    /// <summary>Nobody renewed the lease (a closed browser window): the number is free again.</summary>
    public sealed record LeaseExpired(string PoolId, Guid LeaseId, string Number, DateTimeOffset ExpiredAt) : NumberLeaseEvent;
}

/// <summary>Requests about caller-number leases.</summary>
public abstract record NumberLeaseCommand
{
    private NumberLeaseCommand()
    {
    }

    /// <summary>Lease the number to the agent for <paramref name="Duration"/>.</summary>
    public sealed record AcquireLease(string PoolId, Guid LeaseId, string Number, string AgentId, TimeSpan Duration, DateTimeOffset Now) : NumberLeaseCommand;

    /// <summary>Extend the lease by <paramref name="Duration"/> from now.</summary>
    public sealed record RenewLease(string PoolId, Guid LeaseId, TimeSpan Duration, DateTimeOffset Now) : NumberLeaseCommand;

    /// <summary>Give the number back.</summary>
    public sealed record ReleaseLease(string PoolId, Guid LeaseId, LeaseEndReason Reason, DateTimeOffset Now) : NumberLeaseCommand;

    /// <summary>End every lease whose expiry has passed (run by the scheduler).</summary>
    public sealed record ExpireLeases(string PoolId, DateTimeOffset Now) : NumberLeaseCommand;
}

/// <summary>A lease request that cannot be granted; <see cref="Code"/> is stable for API clients.</summary>
public sealed class NumberLeaseException(string code, string message) : DomainException(code, message);
