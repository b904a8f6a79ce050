using Aicc.Domain.Common;
using Aicc.Domain.Tasks;
using Aicc.Domain.Tests.Specs;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    private static readonly Spec<CallTask, CallTaskEvent, CallTaskCommand> Spec =
        new(CallTaskDecider.Definition);

    private static readonly Guid TaskId = Guid.Parse("0195a000-0000-7000-8000-00000000f001");
    private static readonly Guid TenantId = Guid.Parse("0195a000-0000-7000-8000-000000000001");
    private static readonly Guid OperatorId = Guid.Parse("0195a000-0000-7000-8000-000000000e03");
    private static readonly Guid LineId = Guid.Parse("0195a000-0000-7000-8000-00000001e001");
    private static readonly Guid OtherLineId = Guid.Parse("0195a000-0000-7000-8000-00000001e002");
    private static readonly Guid RobotId = Guid.Parse("0195a000-0000-7000-8000-0000000b0001");
    private static readonly Guid Batch1 = Guid.Parse("0195a000-0000-7000-8000-0000000ba001");
    private static readonly Guid Batch2 = Guid.Parse("0195a000-0000-7000-8000-0000000ba002");
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static readonly CallTaskEvent Created = new CallTaskEvent.Created(
        TaskId, TenantId, "November renewals", OperatorId, TaskPacing.Default, CallingWindow.Default, RetryPolicy.Default, T0);

    private static readonly CallTaskEvent LineSet = new CallTaskEvent.LineSet(TaskId, LineId, T0.AddMinutes(1));

    private static readonly TaskHandler Sales = new TaskHandler.AgentGroup("sales");

    private static readonly CallTaskEvent HandlerSet = new CallTaskEvent.HandlerSet(TaskId, Sales, T0.AddMinutes(2));

    private static readonly CallTaskEvent BatchAccepted =
        new CallTaskEvent.CustomerBatchAccepted(TaskId, Batch1, 100, 3, 2, T0.AddMinutes(3));

    private static readonly CallTaskEvent Started = new CallTaskEvent.Started(TaskId, T0.AddMinutes(4));

    private static readonly CallTaskEvent PausedEvent = new CallTaskEvent.Paused(TaskId, "lunch", T0.AddMinutes(5));

    private static readonly CallTaskEvent[] Complete = [Created, LineSet, HandlerSet, BatchAccepted];

    private static readonly CallTaskEvent[] Running = [.. Complete, Started];

    private static readonly CallTaskEvent[] Paused = [.. Running, PausedEvent];

    private static readonly CallTaskEvent[] CompletedTask = [.. Running, new CallTaskEvent.Completed(TaskId, T0.AddDays(1))];

    private static readonly CallTaskEvent[] CancelledTask = [Created, new CallTaskEvent.Cancelled(TaskId, "wrong list", T0.AddHours(1))];

    private static TaskSetup SetupOf(CallTask state) => Assert.IsAssignableFrom<CallTask.Existing>(state).Setup;

    private static ValueList<CallingWindow> Windows(params (int From, int To)[] hours) =>
        hours.Select(h => new CallingWindow(new TimeOnly(h.From, 0), new TimeOnly(h.To, 0))).ToValueList();
}
