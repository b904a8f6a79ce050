using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenCallWithRobot_WhenTheCustomerPressesKeys_ThenDigitsAreCollected() =>
        Spec.Given([.. WithRobot, new CallEvent.DtmfReceived(CallId, 1, "1", At(20))])
            .When(new CallCommand.ReceiveDtmf(CallId, 2, "2#", At(21)))
            .Then(new CallEvent.DtmfReceived(CallId, 2, "2#", At(21)))
            .ThenState(state => Assert.Equal(("12#", 2), (InfoOf(state).Digits, InfoOf(state).LastDtmfSequence)));

    [Fact]
    public void GivenReceivedKeyPress_WhenItsReportIsRepeated_ThenNothingHappens() =>
        Spec.Given([.. WithRobot, new CallEvent.DtmfReceived(CallId, 1, "1", At(20))])
            .When(new CallCommand.ReceiveDtmf(CallId, 1, "1", At(20)))
            .ThenNothing();

    [Fact]
    public void GivenCallWithRobot_WhenDigitsAreNotDtmf_ThenRefused() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.ReceiveDtmf(CallId, 1, "1x", At(20)))
            .ThenThrows<DomainException>("call.invalid_dtmf");

    [Fact]
    public void GivenCallWithRobot_WhenSequenceIsZero_ThenRefused() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.ReceiveDtmf(CallId, 0, "1", At(20)))
            .ThenThrows<DomainException>("call.invalid_dtmf");

    [Fact]
    public void GivenRingingCall_WhenKeysArrive_ThenRefusedAsNotAnswered() =>
        Spec.Given(Ringing)
            .When(new CallCommand.ReceiveDtmf(CallId, 1, "1", At(5)))
            .ThenThrows<DomainException>("call.not_answered");
}
