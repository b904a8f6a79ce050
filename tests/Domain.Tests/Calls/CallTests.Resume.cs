using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenHeldCall_WhenTheAgentResumesIt_ThenCallIsNoLongerOnHold() =>
        Spec.Given([.. WithAgent, new CallEvent.Held(CallId, At(20))])
            .When(new CallCommand.Resume(CallId, At(30)))
            .Then(new CallEvent.Resumed(CallId, At(30)))
            .ThenState(state => Assert.False(StateIs<Call.WithAgent>(state).OnHold));

    [Fact]
    public void GivenCallNotOnHold_WhenResumed_ThenNothingHappens() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.Resume(CallId, At(30)))
            .ThenNothing();

    [Fact]
    public void GivenQueuedCall_WhenResumed_ThenRefusedAsNotWithAgent() =>
        Spec.Given(Queued)
            .When(new CallCommand.Resume(CallId, At(30)))
            .ThenThrows<DomainException>("call.not_with_agent");
}
