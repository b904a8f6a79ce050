using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenReadyAgent_WhenAgentDials_ThenTheirPhoneIsOfferedTheCall() =>
        Spec.Given(Ready)
            .When(new AgentCommand.PlaceCall(AgentId, Call1, T0.AddMinutes(3)))
            .Then(new AgentEvent.CallOffered(AgentId, Call1, T0.AddMinutes(3)))
            .ThenState(state => Assert.Equal(Call1, PresenceOf<AgentPresence.Ringing>(state).CallId));

    [Fact]
    public void GivenNotReadyAgent_WhenAgentDials_ThenTheCallIsOfferedToTheirPhone() =>
        Spec.Given([.. Ready, OnBreak])
            .When(new AgentCommand.PlaceCall(AgentId, Call1, T0.AddMinutes(3)))
            .Then(new AgentEvent.CallOffered(AgentId, Call1, T0.AddMinutes(3)));

    [Fact]
    public void GivenAgentDialingACall_WhenTheRouterOffersAnother_ThenRefused() =>
        Spec.Given([.. Ready, new AgentEvent.CallOffered(AgentId, Call1, T0.AddMinutes(3))])
            .When(new AgentCommand.OfferCall(AgentId, Call2, T0.AddMinutes(3)))
            .ThenThrows<DomainException>("agent.already_offered");

    [Fact]
    public void GivenAgentOnACall_WhenAgentDialsAnother_ThenRefusedAsBusy() =>
        Spec.Given(OnCall)
            .When(new AgentCommand.PlaceCall(AgentId, Call2, T0.AddMinutes(5)))
            .ThenThrows<DomainException>("agent.busy");

    [Fact]
    public void GivenAgentDialingACall_WhenTheSameDialIsRetried_ThenNothingHappens() =>
        Spec.Given([.. Ready, new AgentEvent.CallOffered(AgentId, Call1, T0.AddMinutes(3))])
            .When(new AgentCommand.PlaceCall(AgentId, Call1, T0.AddMinutes(3)))
            .ThenNothing();

    [Fact]
    public void GivenOfflineAgent_WhenAgentDials_ThenRefused() =>
        Spec.Given(Created)
            .When(new AgentCommand.PlaceCall(AgentId, Call1, T0.AddMinutes(3)))
            .ThenThrows<DomainException>("agent.offline");

    [Fact]
    public void GivenAgentInWrapUp_WhenAgentDials_ThenRefusedUntilWrapUpEnds() =>
        Spec.Given(WrappingUp)
            .When(new AgentCommand.PlaceCall(AgentId, Call2, T0.AddMinutes(11)))
            .ThenThrows<DomainException>("agent.in_after_call_work");
}
