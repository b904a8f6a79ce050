using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenNoCall_WhenACallArrivesOnALine_ThenInboundCallIsCreatedAndTheCallerLegIsCalling() =>
        Spec.When(new CallCommand.ReceiveInbound(CallId, TenantId, LineId, "+8613900139000", "4008001234", T0))
            .Then(InboundArrived)
            .ThenState(state =>
            {
                var info = InfoOf(StateIs<Call.Created>(state));
                Assert.Equal(CallDirection.Inbound, info.Direction);
                Assert.Equal(T0, info.Timeline.CustomerCalledAt);
            });

    [Fact]
    public void GivenNoCall_WhenTheCallerIsWithheld_ThenCallerIsAnonymous() =>
        Spec.When(new CallCommand.ReceiveInbound(CallId, TenantId, LineId, "", "4008001234", T0))
            .Then(new CallEvent.InboundArrived(CallId, TenantId, LineId, "anonymous", "4008001234", T0));

    [Fact]
    public void GivenInboundCall_WhenTheInviteIsRetransmitted_ThenNothingHappens() =>
        Spec.Given(Inbound)
            .When(new CallCommand.ReceiveInbound(CallId, TenantId, LineId, "+8613900139000", "4008001234", At(1)))
            .ThenNothing();

    [Fact]
    public void GivenOutboundCall_WhenAnInboundCallArrivesUnderItsId_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallCommand.ReceiveInbound(CallId, TenantId, LineId, "+8613900139000", "4008001234", T0))
            .ThenThrows<DomainException>("call.already_exists");

    [Fact]
    public void GivenNoCall_WhenTheCalledNumberIsMissing_ThenRefused() =>
        Spec.When(new CallCommand.ReceiveInbound(CallId, TenantId, LineId, "+8613900139000", " ", T0))
            .ThenThrows<DomainException>("call.called_required");
}
