using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.Compliance;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Employees;
using Aicc.Domain.Lines;
using Aicc.Domain.Robots;
using Aicc.Domain.Scripts;
using Aicc.Domain.Tasks;
using Aicc.Domain.Tenants;

namespace Aicc.Handlers.Commands;

/// <summary>Every aggregate's decider and the stream ids its streams use (<c>task-{guid}</c>).</summary>
public static class Deciders
{
    public static readonly StreamDecider<Tenant, TenantCommand, TenantEvent> Tenant = new("tenant", TenantDecider.Definition);

    public static readonly StreamDecider<Employee, EmployeeCommand, EmployeeEvent> Employee = new("employee", EmployeeDecider.Definition);

    public static readonly StreamDecider<Agent, AgentCommand, AgentEvent> Agent = new("agent", AgentDecider.Definition);

    public static readonly StreamDecider<Robot, RobotCommand, RobotEvent> Robot = new("robot", RobotDecider.Definition);

    public static readonly StreamDecider<Script, ScriptCommand, ScriptEvent> Script = new("script", ScriptDecider.Definition);

    public static readonly StreamDecider<Line, LineCommand, LineEvent> Line = new("line", LineDecider.Definition);

    public static readonly StreamDecider<CallTask, CallTaskCommand, CallTaskEvent> Task = new("task", CallTaskDecider.Definition);

    public static readonly StreamDecider<CustomerBatch, CustomerBatchCommand, CustomerBatchEvent> CustomerBatch = new("customer_batch", CustomerBatchDecider.Definition);

    public static readonly StreamDecider<Call, CallCommand, CallEvent> Call = new("call", CallDecider.Definition);

    /// <summary>A tenant's white, black and do-not-call lists: one stream per tenant (<c>dial_lists-{tenant}</c>).</summary>
    public static readonly StreamDecider<DialLists, DialListCommand, DialListEvent> DialLists =
        new("dial_lists", new Decider<DialListCommand, DialListEvent, DialLists>(DialListDecider.Decide, DialListDecider.Evolve, Aicc.Domain.Compliance.DialLists.Empty));

    /// <summary>The stream id of an aggregate instance: its stream type, a dash, the id.</summary>
    public static string StreamId<TState, TCommand, TEvent>(this StreamDecider<TState, TCommand, TEvent> decider, Guid id)
        where TEvent : class => $"{decider.StreamType}-{id}";

    /// <summary>Tenant ids as the event store keys them.</summary>
    public static string TenantKey(Guid tenantId) => tenantId.ToString();
}
