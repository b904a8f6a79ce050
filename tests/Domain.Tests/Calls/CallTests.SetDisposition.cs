using Aicc.Domain.Calls;
using Aicc.Domain.Common;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    private static readonly ValueList<string> TaskDispositions = ValueList.Of("sold", "callback", "not_interested");

    [Fact]
    public void GivenCallWithAgent_WhenTheAgentSetsADisposition_ThenItIsRecorded() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.SetDisposition(CallId, AgentId, " sold ", " wants invoice ", TaskDispositions, At(50)))
            .Then(new CallEvent.DispositionSet(CallId, AgentId, "sold", "wants invoice", At(50)))
            .ThenState(state => Assert.Equal(
                new CallDisposition(AgentId, "sold", "wants invoice", At(50)), InfoOf(state).Disposition));

    [Fact]
    public void GivenEndedCall_WhenTheAgentSetsTheDispositionDuringWrapUp_ThenItIsRecorded() =>
        Spec.Given(EndedWithAgent)
            .When(new CallCommand.SetDisposition(CallId, AgentId, "callback", null, TaskDispositions, At(90)))
            .Then(new CallEvent.DispositionSet(CallId, AgentId, "callback", null, At(90)));

    [Fact]
    public void GivenDispositionSet_WhenTheSameIsSentAgain_ThenNothingHappens() =>
        Spec.Given([.. EndedWithAgent, new CallEvent.DispositionSet(CallId, AgentId, "callback", null, At(90))])
            .When(new CallCommand.SetDisposition(CallId, AgentId, "callback", "", TaskDispositions, At(91)))
            .ThenNothing();

    [Fact]
    public void GivenDispositionSet_WhenTheAgentChangesIt_ThenTheNewOneIsRecorded() =>
        Spec.Given([.. EndedWithAgent, new CallEvent.DispositionSet(CallId, AgentId, "callback", null, At(90))])
            .When(new CallCommand.SetDisposition(CallId, AgentId, "sold", null, TaskDispositions, At(95)))
            .Then(new CallEvent.DispositionSet(CallId, AgentId, "sold", null, At(95)));

    [Fact]
    public void GivenInboundCallWithoutTask_WhenAnyDispositionIsSet_ThenItIsRecorded() =>
        Spec.Given(InboundArrived, new CallEvent.OfferedToAgent(CallId, AgentId, At(1)), new CallEvent.Answered(CallId, At(3)), new CallEvent.ConnectedToAgent(CallId, AgentId, At(3)))
            .When(new CallCommand.SetDisposition(CallId, AgentId, "complaint", null, ValueList<string>.Empty, At(60)))
            .Then(new CallEvent.DispositionSet(CallId, AgentId, "complaint", null, At(60)));

    [Fact]
    public void GivenCallWithAgent_WhenTheDispositionIsNotInTheTasksList_ThenRefused() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.SetDisposition(CallId, AgentId, "maybe", null, TaskDispositions, At(50)))
            .ThenThrows<DomainException>("call.unknown_disposition");

    [Fact]
    public void GivenCallWithAgent_WhenAnotherAgentSetsTheDisposition_ThenRefused() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.SetDisposition(CallId, OtherAgentId, "sold", null, TaskDispositions, At(50)))
            .ThenThrows<DomainException>("call.not_handled_by_agent");

    [Fact]
    public void GivenCallWithRobot_WhenADispositionIsSet_ThenRefused() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.SetDisposition(CallId, AgentId, "sold", null, TaskDispositions, At(50)))
            .ThenThrows<DomainException>("call.not_handled_by_agent");

    [Fact]
    public void GivenCallWithAgent_WhenTheDispositionIsBlank_ThenRefused() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.SetDisposition(CallId, AgentId, " ", null, TaskDispositions, At(50)))
            .ThenThrows<DomainException>("call.disposition_required");
}
