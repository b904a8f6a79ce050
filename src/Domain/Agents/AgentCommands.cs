using Aicc.Domain.Common;

namespace Aicc.Domain.Agents;

/// <summary>What agents, supervisors, the router and the wrap-up timer ask of a seat.</summary>
public abstract record AgentCommand
{
    private AgentCommand()
    {
    }

    /// <summary>The employee is loaded beforehand; the handler checks it belongs to the tenant.</summary>
    public sealed record Create(
        Guid AgentId,
        Guid TenantId,
        Guid EmployeeId,
        string DisplayName,
        ValueList<string> SkillGroups,
        DateTimeOffset Now) : AgentCommand;

    /// <summary>Routing offers a queued call only to agents of its skill group.</summary>
    public sealed record ChangeSkillGroups(Guid AgentId, ValueList<string> SkillGroups, DateTimeOffset Now) : AgentCommand;

    /// <summary>The handler computes the digest HA1 from the password; the password never reaches the domain.</summary>
    public sealed record SetSipCredentials(Guid AgentId, string Username, string PasswordHash, DateTimeOffset Now)
        : AgentCommand;

    /// <summary>The agent opened the console; a repeat while logged in changes nothing.</summary>
    public sealed record LogIn(Guid AgentId, DateTimeOffset Now) : AgentCommand;

    /// <summary>From not-ready, or from wrap-up when the agent finishes early.</summary>
    public sealed record MakeReady(Guid AgentId, DateTimeOffset Now) : AgentCommand;

    /// <summary>The agent steps away (break, training); a reason is required for the board and reports.</summary>
    public sealed record MakeNotReady(Guid AgentId, string Reason, DateTimeOffset Now) : AgentCommand;

    /// <summary>A supervisor takes an idle or wrapping-up agent out of routing.</summary>
    public sealed record ForceNotReady(Guid AgentId, Guid SupervisorId, string Reason, DateTimeOffset Now) : AgentCommand;

    /// <summary>The router rings a ready agent; refused if the agent has or is offered another call.</summary>
    public sealed record OfferCall(Guid AgentId, Guid CallId, DateTimeOffset Now) : AgentCommand;

    /// <summary>
    /// The agent dials a number from the console: the platform rings the agent's own phone with
    /// the call first (so it is an offer like a distributed call's, and no other call can be
    /// offered meanwhile), then the customer. Allowed when ready or not ready; agents commonly
    /// go not ready to make outbound calls.
    /// </summary>
    public sealed record PlaceCall(Guid AgentId, Guid CallId, DateTimeOffset Now) : AgentCommand;

    /// <summary>The offer ended without an answer: declined, rang out, or withdrawn (late reports are no-ops).</summary>
    public sealed record EndOffer(Guid AgentId, Guid CallId, OfferEndReason Reason, DateTimeOffset Now) : AgentCommand;

    /// <summary>The agent answered the offered call.</summary>
    public sealed record AcceptCall(Guid AgentId, Guid CallId, DateTimeOffset Now) : AgentCommand;

    /// <summary><paramref name="AfterCallWork"/> comes from the task's (or tenant's) wrap-up setting.</summary>
    public sealed record EndCall(Guid AgentId, Guid CallId, TimeSpan AfterCallWork, DateTimeOffset Now) : AgentCommand;

    /// <summary>Sent by the scheduler when wrap-up time is over.</summary>
    public sealed record EndAfterCallWork(Guid AgentId, Guid CallId, DateTimeOffset Now) : AgentCommand;

    /// <summary>Refused while the agent rings or talks, so no call is stranded on an absent seat.</summary>
    public sealed record LogOut(Guid AgentId, DateTimeOffset Now) : AgentCommand;

    /// <summary>Deletes the seat from routing for good; only an offline seat can be removed.</summary>
    public sealed record Remove(Guid AgentId, DateTimeOffset Now) : AgentCommand;
}
