using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenDraft_WhenAgentGroupHandlesCalls_ThenHandlerIsSetWithTrimmedGroup() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetHandler(TaskId, new TaskHandler.AgentGroup(" sales "), T0.AddMinutes(2)))
            .Then(HandlerSet)
            .ThenState(state => Assert.Equal(Sales, SetupOf(state).Handler));

    [Fact]
    public void GivenDraft_WhenRobotThenAgentHandlesCalls_ThenHandlerIsSet() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetHandler(TaskId, new TaskHandler.RobotThenAgent(RobotId, "sales"), T0.AddMinutes(2)))
            .Then(new CallTaskEvent.HandlerSet(TaskId, new TaskHandler.RobotThenAgent(RobotId, "sales"), T0.AddMinutes(2)));

    [Fact]
    public void GivenDraftWithHandler_WhenTheSameHandlerIsSet_ThenNothingHappens() =>
        Spec.Given(Created, HandlerSet)
            .When(new CallTaskCommand.SetHandler(TaskId, new TaskHandler.AgentGroup("sales"), T0.AddMinutes(3)))
            .ThenNothing();

    [Fact]
    public void GivenDraft_WhenRobotHandlerHasNoRobot_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetHandler(TaskId, new TaskHandler.Robot(Guid.Empty), T0.AddMinutes(2)))
            .ThenThrows<DomainException>("task.invalid_handler");

    [Fact]
    public void GivenDraft_WhenRobotThenAgentHasNoGroup_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetHandler(TaskId, new TaskHandler.RobotThenAgent(RobotId, " "), T0.AddMinutes(2)))
            .ThenThrows<DomainException>("task.invalid_handler");

    [Fact]
    public void GivenRunningTask_WhenHandlerChanges_ThenRefusedAsRunning() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.SetHandler(TaskId, new TaskHandler.Robot(RobotId), T0.AddMinutes(6)))
            .ThenThrows<DomainException>("task.running");
}
