using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Employees;
using Aicc.Domain.Lines;
using Aicc.Domain.Robots;
using Aicc.Domain.Tasks;
using Aicc.Domain.Tenants;

namespace Aicc.Handlers.Commands;

/// <summary>Every aggregate's decider and the stream ids its streams use (<c>task-{guid}</c>).</summary>
public static class Deciders
{
    public static readonly Decider<Tenant, TenantCommand, TenantEvent> Tenant =
        new("tenant", TenantDecider.Initial, TenantDecider.Decide, TenantDecider.Evolve);

    public static readonly Decider<Employee, EmployeeCommand, EmployeeEvent> Employee =
        new("employee", EmployeeDecider.Initial, EmployeeDecider.Decide, EmployeeDecider.Evolve);

    public static readonly Decider<Agent, AgentCommand, AgentEvent> Agent =
        new("agent", AgentDecider.Initial, AgentDecider.Decide, AgentDecider.Evolve);

    public static readonly Decider<Robot, RobotCommand, RobotEvent> Robot =
        new("robot", RobotDecider.Initial, RobotDecider.Decide, RobotDecider.Evolve);

    public static readonly Decider<Line, LineCommand, LineEvent> Line =
        new("line", LineDecider.Initial, LineDecider.Decide, LineDecider.Evolve);

    public static readonly Decider<CallTask, CallTaskCommand, CallTaskEvent> Task =
        new("task", CallTaskDecider.Initial, CallTaskDecider.Decide, CallTaskDecider.Evolve);

    public static readonly Decider<CustomerBatch, CustomerBatchCommand, CustomerBatchEvent> CustomerBatch =
        new("customer_batch", CustomerBatchDecider.Initial, CustomerBatchDecider.Decide, CustomerBatchDecider.Evolve);

    public static readonly Decider<Call, CallCommand, CallEvent> Call =
        new("call", CallDecider.Initial, CallDecider.Decide, CallDecider.Evolve);

    /// <summary>The stream id of an aggregate instance: its stream type, a dash, the id.</summary>
    public static string StreamId<TState, TCommand, TEvent>(this Decider<TState, TCommand, TEvent> decider, Guid id)
        where TEvent : class => $"{decider.StreamType}-{id}";

    /// <summary>Tenant ids as the event store keys them.</summary>
    public static string TenantKey(Guid tenantId) => tenantId.ToString();
}
