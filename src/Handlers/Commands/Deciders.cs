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

    /// <summary>One customer of one task between attempts (redials, refusals); id from <see cref="Aicc.Domain.Dialing.Contacts.DialingContactDecider.ContactId"/>.</summary>
    public static readonly StreamDecider<Aicc.Domain.Dialing.Contacts.DialingContact, Aicc.Domain.Dialing.Contacts.DialingContactCommand, Aicc.Domain.Dialing.Contacts.DialingContactEvent> DialingContact =
        new("dialing_contact", Aicc.Domain.Dialing.Contacts.DialingContactDecider.Definition);

    /// <summary>A tenant's white, black and do-not-call lists and contact limits; one stream per tenant, id = the tenant id.</summary>
    public static readonly StreamDecider<Aicc.Domain.Compliance.DialLists, Aicc.Domain.Compliance.DialListCommand, Aicc.Domain.Compliance.DialListEvent> DialLists =
        new("dial_lists", Aicc.Domain.Compliance.DialListDecider.Definition);

    /// <summary>A caller-number pool.</summary>
    public static readonly StreamDecider<Aicc.Domain.Numbers.NumberPoolState, Aicc.Domain.Numbers.NumberPoolCommand, Aicc.Domain.Numbers.NumberPoolEvent> NumberPool =
        new("number_pool", Aicc.Domain.Numbers.NumberPoolDecider.Definition);

    /// <summary>The leases of one pool's numbers; id = the pool id.</summary>
    public static readonly StreamDecider<Aicc.Domain.Numbers.NumberLeaseBook, Aicc.Domain.Numbers.NumberLeaseCommand, Aicc.Domain.Numbers.NumberLeaseEvent> NumberLeases =
        new("number_leases", Aicc.Domain.Numbers.NumberLeaseDecider.Definition);

    /// <summary>The stream id of an aggregate instance: its stream type, a dash, the id.</summary>
    public static string StreamId<TState, TCommand, TEvent>(this StreamDecider<TState, TCommand, TEvent> decider, Guid id)
        where TEvent : class => $"{decider.StreamType}-{id}";

    /// <summary>Tenant ids as the event store keys them.</summary>
    public static string TenantKey(Guid tenantId) => tenantId.ToString();
}
