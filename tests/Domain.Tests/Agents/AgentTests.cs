using Aicc.Domain.Agents;
using Aicc.Domain.Common;
using Aicc.Domain.Tests.Specs;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    private static readonly Spec<Agent, AgentEvent, AgentCommand> Spec =
        new(AgentDecider.Definition);

    private static readonly Guid AgentId = Guid.Parse("0195a000-0000-7000-8000-00000000a001");
    private static readonly Guid TenantId = Guid.Parse("0195a000-0000-7000-8000-000000000001");
    private static readonly Guid EmployeeId = Guid.Parse("0195a000-0000-7000-8000-000000000e01");
    private static readonly Guid SupervisorId = Guid.Parse("0195a000-0000-7000-8000-000000000e02");
    private static readonly Guid Call1 = Guid.Parse("0195a000-0000-7000-8000-0000000c0001");
    private static readonly Guid Call2 = Guid.Parse("0195a000-0000-7000-8000-0000000c0002");
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static readonly AgentEvent Created =
        new AgentEvent.Created(AgentId, TenantId, EmployeeId, "Li Lei", ValueList.Of("sales"), T0);

    private static readonly AgentEvent LoggedIn = new AgentEvent.LoggedIn(AgentId, T0.AddMinutes(1));

    private static readonly AgentEvent OnBreak = new AgentEvent.WentNotReady(AgentId, "break", T0.AddMinutes(2));

    private static readonly AgentEvent Offered = new AgentEvent.CallOffered(AgentId, Call1, T0.AddMinutes(3));

    private static readonly AgentEvent Accepted = new AgentEvent.CallAccepted(AgentId, Call1, T0.AddMinutes(4));

    private static readonly AgentEvent CallEnded =
        new AgentEvent.CallEnded(AgentId, Call1, T0.AddMinutes(10).AddSeconds(30), T0.AddMinutes(10));

    private static readonly AgentEvent WrapUpEnded =
        new AgentEvent.AfterCallWorkEnded(AgentId, Call1, AfterCallWorkEnd.Agent, T0.AddMinutes(10).AddSeconds(5));

    private static readonly AgentEvent[] Ready = [Created, LoggedIn];

    private static readonly AgentEvent[] Ringing = [Created, LoggedIn, Offered];

    private static readonly AgentEvent[] OnCall = [Created, LoggedIn, Offered, Accepted];

    private static readonly AgentEvent[] WrappingUp = [Created, LoggedIn, Offered, Accepted, CallEnded];

    private static T PresenceOf<T>(Agent state)
        where T : AgentPresence =>
        Assert.IsType<T>(Assert.IsType<Agent.Active>(state).Presence);
}
