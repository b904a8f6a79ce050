using Aicc.Domain.Common;

namespace Aicc.Domain.Tasks;

/// <summary>
/// What operators and the dialer ask of a task. Referenced lines, robots and skill groups are
/// checked to exist in the tenant by the handler before the command is built.
/// </summary>
public abstract record CallTaskCommand
{
    private CallTaskCommand()
    {
    }

    /// <summary>Only a name is needed for a draft; starting checks the rest.</summary>
    public sealed record Create(Guid TaskId, Guid TenantId, string Name, Guid CreatedBy, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>A new display name; allowed in any open state.</summary>
    public sealed record Rename(Guid TaskId, string Name, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>The line to dial on; fixed while running (pause first).</summary>
    public sealed record SetLine(Guid TaskId, Guid LineId, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>Who takes answered calls; fixed while running (pause first).</summary>
    public sealed record SetHandler(Guid TaskId, TaskHandler Handler, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>Pacing mode, power ratio and abandon cap; can be tuned while running.</summary>
    public sealed record SetPacing(Guid TaskId, TaskPacing Pacing, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>Daily windows in the callee's local time; can be tuned while running.</summary>
    public sealed record SetCallingWindows(Guid TaskId, ValueList<CallingWindow> Windows, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>Redial delay and attempts per outcome; can be tuned while running.</summary>
    public sealed record SetRetryPolicy(Guid TaskId, RetryPolicy Retry, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>Calls per minute for this task (seed 002's limit service); null lifts it.</summary>
    public sealed record SetRateLimit(Guid TaskId, int? MaxCallsPerMinute, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>Dial from this caller-number pool (null: from the line's caller-ID rule); may change while the task runs.</summary>
    public sealed record SetNumberPool(Guid TaskId, Guid? PoolId, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>The outcomes agents may choose from on this task's calls.</summary>
    public sealed record SetDispositions(Guid TaskId, ValueList<string> Dispositions, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>Counts come from the sealed batch stream, loaded beforehand.</summary>
    public sealed record AcceptCustomerBatch(
        Guid TaskId,
        Guid BatchId,
        int Accepted,
        int Rejected,
        int Duplicates,
        DateTimeOffset Now) : CallTaskCommand;

    /// <summary>Refused with the full list of what is missing unless the task is complete.</summary>
    public sealed record Start(Guid TaskId, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>Stops new dialing; calls in flight finish.</summary>
    public sealed record Pause(Guid TaskId, string Reason, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>Dialing continues; completeness is checked again since settings may have changed.</summary>
    public sealed record Resume(Guid TaskId, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>The campaign is finished (all customers done, or the operator says so).</summary>
    public sealed record Complete(Guid TaskId, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>The campaign is called off; nothing more is dialed.</summary>
    public sealed record Cancel(Guid TaskId, string Reason, DateTimeOffset Now) : CallTaskCommand;
}
