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

    public sealed record ChangeSkillGroups(Guid AgentId, ValueList<string> SkillGroups, DateTimeOffset Now) : AgentCommand;

    public sealed record SetSipCredentials(Guid AgentId, string Username, string PasswordHash, DateTimeOffset Now)
        : AgentCommand;

    public sealed record LogIn(Guid AgentId, DateTimeOffset Now) : AgentCommand;

    /// <summary>From not-ready, or from wrap-up when the agent finishes early.</summary>
    public sealed record MakeReady(Guid AgentId, DateTimeOffset Now) : AgentCommand;

    public sealed record MakeNotReady(Guid AgentId, string Reason, DateTimeOffset Now) : AgentCommand;

    public sealed record ForceNotReady(Guid AgentId, Guid SupervisorId, string Reason, DateTimeOffset Now) : AgentCommand;

    public sealed record OfferCall(Guid AgentId, Guid CallId, DateTimeOffset Now) : AgentCommand;

    public sealed record EndOffer(Guid AgentId, Guid CallId, OfferEndReason Reason, DateTimeOffset Now) : AgentCommand;

    public sealed record AcceptCall(Guid AgentId, Guid CallId, DateTimeOffset Now) : AgentCommand;

    /// <summary><paramref name="AfterCallWork"/> comes from the task's (or tenant's) wrap-up setting.</summary>
    public sealed record EndCall(Guid AgentId, Guid CallId, TimeSpan AfterCallWork, DateTimeOffset Now) : AgentCommand;

    /// <summary>Sent by the scheduler when wrap-up time is over.</summary>
    public sealed record EndAfterCallWork(Guid AgentId, Guid CallId, DateTimeOffset Now) : AgentCommand;

    public sealed record LogOut(Guid AgentId, DateTimeOffset Now) : AgentCommand;

    public sealed record Remove(Guid AgentId, DateTimeOffset Now) : AgentCommand;
}
