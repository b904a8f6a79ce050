using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenCallWithAgent_WhenTheAgentHoldsIt_ThenCallIsOnHold() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.Hold(CallId, At(20)))
            .Then(new CallEvent.Held(CallId, At(20)))
            .ThenState(state => Assert.True(StateIs<Call.WithAgent>(state).OnHold));

    [Fact]
    public void GivenHeldCall_WhenHeldAgain_ThenNothingHappens() =>
        Spec.Given([.. WithAgent, new CallEvent.Held(CallId, At(20))])
            .When(new CallCommand.Hold(CallId, At(21)))
            .ThenNothing();

    [Fact]
    public void GivenCallWithRobot_WhenHeld_ThenRefusedAsNotWithAgent() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.Hold(CallId, At(20)))
            .ThenThrows<DomainException>("call.not_with_agent");
}
