using System.Text.Json.Serialization;
using Aicc.Domain.Common;

namespace Aicc.Domain.Agents;

/// <summary>Everything that happens to a human seat; one stream per agent, read by the agent board.</summary>
public abstract record AgentEvent
{
    private AgentEvent()
    {
    }

    /// <summary>A human seat exists for an employee; it starts offline.</summary>
    public sealed record Created(
        Guid AgentId,
        Guid TenantId,
        Guid EmployeeId,
        string DisplayName,
        ValueList<string> SkillGroups,
        DateTimeOffset CreatedAt) : AgentEvent;

    /// <summary>Which queues the agent serves from now on.</summary>
    public sealed record SkillGroupsChanged(Guid AgentId, ValueList<string> SkillGroups, DateTimeOffset ChangedAt) : AgentEvent;

    /// <summary>Softphone credentials; the hash is the digest HA1 a registrar needs, never the password.</summary>
    public sealed record SipCredentialsSet(Guid AgentId, string Username, string PasswordHash, DateTimeOffset SetAt)
        : AgentEvent;

    /// <summary>The agent opened the console and is ready for calls.</summary>
    public sealed record LoggedIn(Guid AgentId, DateTimeOffset LoggedInAt) : AgentEvent;

    /// <summary>The agent can be offered calls again.</summary>
    public sealed record BecameReady(Guid AgentId, DateTimeOffset ReadyAt) : AgentEvent;

    /// <summary>The agent chose to leave routing for a while, with the reason they gave.</summary>
    public sealed record WentNotReady(Guid AgentId, string Reason, DateTimeOffset WentAt) : AgentEvent;

    /// <summary>A supervisor took the agent out of routing (seed 000: supervisors steer seats).</summary>
    public sealed record ForcedNotReady(Guid AgentId, Guid SupervisorId, string Reason, DateTimeOffset ForcedAt)
        : AgentEvent;

    /// <summary>The agent's phone rings with this call; no other call can be offered until it ends.</summary>
    public sealed record CallOffered(Guid AgentId, Guid CallId, DateTimeOffset OfferedAt) : AgentEvent;

    /// <summary>The offer ended without the agent taking the call.</summary>
    public sealed record OfferEnded(Guid AgentId, Guid CallId, OfferEndReason Reason, DateTimeOffset EndedAt) : AgentEvent;

    /// <summary>The agent answered; they are on the call.</summary>
    public sealed record CallAccepted(Guid AgentId, Guid CallId, DateTimeOffset AcceptedAt) : AgentEvent;

    /// <summary>The call ended; wrap-up (after-call work) runs until <paramref name="AfterCallWorkUntil"/>.</summary>
    public sealed record CallEnded(Guid AgentId, Guid CallId, DateTimeOffset AfterCallWorkUntil, DateTimeOffset EndedAt)
        : AgentEvent;

    /// <summary>Wrap-up is over; the agent is ready again.</summary>
    public sealed record AfterCallWorkEnded(Guid AgentId, Guid CallId, AfterCallWorkEnd EndedBy, DateTimeOffset EndedAt)
        : AgentEvent;

    /// <summary>The agent left; no calls are offered until the next log-in.</summary>
    public sealed record LoggedOut(Guid AgentId, DateTimeOffset LoggedOutAt) : AgentEvent;

    /// <summary>The seat no longer exists for routing; its history stays.</summary>
    public sealed record Removed(Guid AgentId, DateTimeOffset RemovedAt) : AgentEvent;
}

/// <summary>Why an offer ended without an answer; a missed offer takes the agent out of routing.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OfferEndReason>))]
public enum OfferEndReason
{
    /// <summary>The agent pressed decline; they are at the desk, so they stay ready.</summary>
    Declined = 1,

    /// <summary>Nobody picked up within the ring timeout; the seat is probably empty.</summary>
    Unanswered,

    /// <summary>The call went away (caller hung up, another agent took it).</summary>
    Withdrawn,
}

/// <summary>Who ended wrap-up: the agent, or the timer the handler scheduled for its end.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AfterCallWorkEnd>))]
public enum AfterCallWorkEnd
{
    Agent = 1,
    Timer,
}
