using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Robots;
using Aicc.Domain.Tests.Specs;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    private static readonly Spec<Call, CallEvent, CallCommand> Spec =
        new(CallDecider.Definition);

    private static readonly Guid CallId = Guid.Parse("0195a000-0000-7000-8000-0000000c0001");
    private static readonly Guid TenantId = Guid.Parse("0195a000-0000-7000-8000-000000000001");
    private static readonly Guid TaskId = Guid.Parse("0195a000-0000-7000-8000-00000000f001");
    private static readonly Guid CustomerId = Guid.Parse("0195a000-0000-7000-8000-00000000cc01");
    private static readonly Guid LineId = Guid.Parse("0195a000-0000-7000-8000-00000001e001");
    private static readonly Guid RobotId = Guid.Parse("0195a000-0000-7000-8000-0000000b0001");
    private static readonly Guid AgentId = Guid.Parse("0195a000-0000-7000-8000-00000000a001");
    private static readonly Guid OtherAgentId = Guid.Parse("0195a000-0000-7000-8000-00000000a002");
    private static readonly Guid RecordingId = Guid.Parse("0195a000-0000-7000-8000-0000000ec001");
    private static readonly ScriptVersion Script = new(Guid.Parse("0195a000-0000-7000-8000-0000000d0001"), 3);
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static readonly PhoneNumber Customer = PhoneNumber.Parse("138 0013 8000");
    private static readonly PhoneNumber CallerId = PhoneNumber.Parse("010-88886666");
    private static readonly ValueMap BizData = ValueMap.Of(("order", "A-1001"));

    private static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    private static readonly CallEvent OutboundCreated =
        new CallEvent.OutboundCreated(CallId, TenantId, TaskId, CustomerId, "+8613800138000", BizData, T0);

    private static readonly CallEvent DialingStarted = new CallEvent.DialingStarted(CallId, 1, LineId, "+861088886666", At(1));

    private static readonly CallEvent RingingStarted = new CallEvent.RingingStarted(CallId, At(3));

    private static readonly CallEvent Answered = new CallEvent.Answered(CallId, At(10));

    private static readonly CallEvent RobotConnected = new CallEvent.ConnectedToRobot(CallId, RobotId, Script, At(11));

    private static readonly CallEvent QueuedForSales = new CallEvent.Queued(CallId, "sales", At(11));

    private static readonly CallEvent OfferedToAgent = new CallEvent.OfferedToAgent(CallId, AgentId, At(12));

    private static readonly CallEvent AgentConnected = new CallEvent.ConnectedToAgent(CallId, AgentId, At(15));

    private static readonly CallEvent InboundArrived =
        new CallEvent.InboundArrived(CallId, TenantId, LineId, "+8613900139000", "4008001234", T0);

    private static readonly CallEvent[] Created = [OutboundCreated];

    private static readonly CallEvent[] Dialing = [OutboundCreated, DialingStarted];

    private static readonly CallEvent[] Ringing = [OutboundCreated, DialingStarted, RingingStarted];

    private static readonly CallEvent[] AnsweredCall = [.. Ringing, Answered];

    private static readonly CallEvent[] WithRobot = [.. AnsweredCall, RobotConnected];

    private static readonly CallEvent[] Queued = [.. AnsweredCall, QueuedForSales];

    private static readonly CallEvent[] Offered = [.. Queued, OfferedToAgent];

    private static readonly CallEvent[] WithAgent = [.. Offered, AgentConnected];

    private static readonly CallEvent[] EndedWithAgent =
        [.. WithAgent, new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.Normal, CallOutcome.Answered, At(75))];

    private static readonly CallEvent[] Inbound = [InboundArrived];

    private static T StateIs<T>(Call state)
        where T : Call => Assert.IsType<T>(state);

    private static CallInfo InfoOf(Call state) => Assert.IsAssignableFrom<Call.Existing>(state).Info;
}
