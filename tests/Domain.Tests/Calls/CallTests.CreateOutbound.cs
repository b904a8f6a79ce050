using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenNoCall_WhenATaskCreatesAnOutboundCall_ThenCallIsCreatedWithTheNormalisedNumber() =>
        Spec.When(new CallCommand.CreateOutbound(CallId, TenantId, TaskId, CustomerId, Customer, BizData, T0))
            .Then(OutboundCreated)
            .ThenState(state =>
            {
                var info = InfoOf(StateIs<Call.Created>(state));
                Assert.Equal(CallDirection.Outbound, info.Direction);
                Assert.Equal("+8613800138000", info.Called);
                Assert.Equal(BizData, info.BusinessData);
            });

    [Fact]
    public void GivenOutboundCall_WhenCreatedAgain_ThenNothingHappens() =>
        Spec.Given(Ringing)
            .When(new CallCommand.CreateOutbound(CallId, TenantId, TaskId, CustomerId, Customer, BizData, At(5)))
            .ThenNothing();

    [Fact]
    public void GivenOutboundCall_WhenCreatedAgainForAnotherNumber_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallCommand.CreateOutbound(
                CallId, TenantId, TaskId, CustomerId, PhoneNumber.Parse("13900000000"), ValueMap.Empty, T0))
            .ThenThrows<DomainException>("call.already_exists");

    [Fact]
    public void GivenInboundCall_WhenAnOutboundCallIsCreatedUnderItsId_ThenRefused() =>
        Spec.Given(Inbound)
            .When(new CallCommand.CreateOutbound(CallId, TenantId, null, null, Customer, ValueMap.Empty, T0))
            .ThenThrows<DomainException>("call.already_exists");

    [Fact]
    public void GivenNoCall_WhenItIsAnswered_ThenRefusedAsNotFound() =>
        Spec.When(new CallCommand.Answer(CallId, T0))
            .ThenThrows<DomainException>("call.not_found");
}
