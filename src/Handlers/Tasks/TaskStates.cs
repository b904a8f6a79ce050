using Aicc.Domain.Tasks;

namespace Aicc.Handlers.Tasks;

/// <summary>The state names the API shows (and the task list stores) for the decider's state union.</summary>
public static class TaskStates
{
    public static string Name(CallTask state) => state switch
    {
        CallTask.Draft => "draft",
        CallTask.Running => "running",
        CallTask.Paused => "paused",
        CallTask.Completed => "completed",
        CallTask.Cancelled => "cancelled",
        _ => "none",
    };
}
