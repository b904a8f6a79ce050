using Aicc.Domain.Agents;

namespace Aicc.Handlers.Agents;

/// <summary>The presence names the API and the agent board use for the decider's state union.</summary>
public static class AgentStates
{
    public static string Name(Agent state) => state switch
    {
        Agent.Active { Presence: AgentPresence.Offline } => "offline",
        Agent.Active { Presence: AgentPresence.Ready } => "ready",
        Agent.Active { Presence: AgentPresence.NotReady } => "not_ready",
        Agent.Active { Presence: AgentPresence.Ringing } => "ringing",
        Agent.Active { Presence: AgentPresence.OnCall } => "on_call",
        Agent.Active { Presence: AgentPresence.AfterCallWork } => "after_call_work",
        Agent.Removed => "removed",
        _ => "none",
    };
}
