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

    public sealed record Rename(Guid TaskId, string Name, DateTimeOffset Now) : CallTaskCommand;

    public sealed record SetLine(Guid TaskId, Guid LineId, DateTimeOffset Now) : CallTaskCommand;

    public sealed record SetHandler(Guid TaskId, TaskHandler Handler, DateTimeOffset Now) : CallTaskCommand;

    public sealed record SetPacing(Guid TaskId, PacingSettings Pacing, DateTimeOffset Now) : CallTaskCommand;

    public sealed record SetCallingWindows(Guid TaskId, ValueList<CallingWindow> Windows, DateTimeOffset Now) : CallTaskCommand;

    public sealed record SetRetryPolicy(Guid TaskId, RetryPolicy Retry, DateTimeOffset Now) : CallTaskCommand;

    public sealed record SetRateLimit(Guid TaskId, int? MaxCallsPerMinute, DateTimeOffset Now) : CallTaskCommand;

    public sealed record SetDispositions(Guid TaskId, ValueList<string> Dispositions, DateTimeOffset Now) : CallTaskCommand;

    /// <summary>Counts come from the sealed batch stream, loaded beforehand.</summary>
    public sealed record AcceptCustomerBatch(
        Guid TaskId,
        Guid BatchId,
        int Accepted,
        int Rejected,
        int Duplicates,
        DateTimeOffset Now) : CallTaskCommand;

    public sealed record Start(Guid TaskId, DateTimeOffset Now) : CallTaskCommand;

    public sealed record Pause(Guid TaskId, string Reason, DateTimeOffset Now) : CallTaskCommand;

    public sealed record Resume(Guid TaskId, DateTimeOffset Now) : CallTaskCommand;

    public sealed record Complete(Guid TaskId, DateTimeOffset Now) : CallTaskCommand;

    public sealed record Cancel(Guid TaskId, string Reason, DateTimeOffset Now) : CallTaskCommand;
}
