using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenDialingCall_WhenTheCustomersPhoneRings_ThenCallIsRinging() =>
        Spec.Given(Dialing)
            .When(new CallCommand.ReportRinging(CallId, At(3)))
            .Then(RingingStarted)
            .ThenState(state => Assert.Equal(At(3), InfoOf(StateIs<Call.Ringing>(state)).Timeline.CustomerRingingAt));

    [Fact]
    public void GivenRingingCall_WhenA183FollowsThe180_ThenNothingHappens() =>
        Spec.Given(Ringing)
            .When(new CallCommand.ReportRinging(CallId, At(4)))
            .ThenNothing();

    [Fact]
    public void GivenAnsweredCall_WhenALateRingingReportArrives_ThenNothingHappens() =>
        Spec.Given(AnsweredCall)
            .When(new CallCommand.ReportRinging(CallId, At(11)))
            .ThenNothing();

    [Fact]
    public void GivenEndedCall_WhenALateRingingReportArrives_ThenNothingHappens() =>
        Spec.Given(EndedWithAgent)
            .When(new CallCommand.ReportRinging(CallId, At(80)))
            .ThenNothing();

    [Fact]
    public void GivenUndialedCall_WhenRingingIsReported_ThenRefusedAsNotDialing() =>
        Spec.Given(Created)
            .When(new CallCommand.ReportRinging(CallId, At(3)))
            .ThenThrows<DomainException>("call.not_dialing");

    [Fact]
    public void GivenInboundCall_WhenRingingIsReported_ThenRefusedAsNotOutbound() =>
        Spec.Given(Inbound)
            .When(new CallCommand.ReportRinging(CallId, At(3)))
            .ThenThrows<DomainException>("call.not_outbound");
}
