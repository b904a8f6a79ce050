using Aicc.Domain.Calls;

namespace Aicc.Handlers.Switchboard;

/// <summary>What an agent asks of the call they are on, from the console.</summary>
public abstract record AgentCallRequest
{
    private AgentCallRequest()
    {
    }

    /// <summary>The customer hears hold music; the agent's leg stays up.</summary>
    public sealed record Hold : AgentCallRequest;

    /// <summary>Customer and agent hear each other again.</summary>
    public sealed record Resume : AgentCallRequest;

    /// <summary>The agent ends the call.</summary>
    public sealed record HangUp : AgentCallRequest;

    /// <summary>The call goes back through the queue to a skill group or a named colleague; the agent's leg ends.</summary>
    public sealed record Transfer(TransferTarget To, string Reason) : AgentCallRequest;
}

/// <summary>
/// The calls a process carries, as the agent console's commands reach them. A call's media
/// lives on the node that bridged it, so only that node can act on it; a node that does not
/// carry the call says so (false) and the API tells the console which node does (acd_calls).
/// </summary>
public interface IAgentCallDesk
{
    /// <summary>
    /// Applies <paramref name="request"/> to the call if this process carries it with
    /// <paramref name="agentId"/> on the line; false when it does not carry that call.
    /// Refusals of the call's decider come back as domain exceptions.
    /// </summary>
    Task<bool> HandleAsync(Guid tenantId, Guid callId, Guid agentId, AgentCallRequest request, CancellationToken cancellationToken);
}
