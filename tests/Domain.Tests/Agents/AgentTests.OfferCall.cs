using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenReadyAgent_WhenOfferedACall_ThenAgentIsRinging() =>
        Spec.Given(Ready)
            .When(new AgentCommand.OfferCall(AgentId, Call1, T0.AddMinutes(3)))
            .Then(Offered)
            .ThenState(state => Assert.Equal(Call1, PresenceOf<AgentPresence.Ringing>(state).CallId));

    [Fact]
    public void GivenRingingAgent_WhenTheSameCallIsOfferedAgain_ThenNothingHappens() =>
        Spec.Given(Ringing)
            .When(new AgentCommand.OfferCall(AgentId, Call1, T0.AddMinutes(3)))
            .ThenNothing();

    [Fact]
    public void GivenRingingAgent_WhenASecondCallIsOffered_ThenRefused() =>
        Spec.Given(Ringing)
            .When(new AgentCommand.OfferCall(AgentId, Call2, T0.AddMinutes(3)))
            .ThenThrows<DomainException>("agent.already_offered");

    [Fact]
    public void GivenAgentOnTheCall_WhenItsOfferIsRetried_ThenNothingHappens() =>
        Spec.Given(OnCall)
            .When(new AgentCommand.OfferCall(AgentId, Call1, T0.AddMinutes(5)))
            .ThenNothing();

    [Fact]
    public void GivenAgentOnACall_WhenAnotherCallIsOffered_ThenRefusedAsBusy() =>
        Spec.Given(OnCall)
            .When(new AgentCommand.OfferCall(AgentId, Call2, T0.AddMinutes(5)))
            .ThenThrows<DomainException>("agent.busy");

    [Fact]
    public void GivenAgentOnBreak_WhenOfferedACall_ThenRefusedAsNotReady() =>
        Spec.Given(Created, LoggedIn, OnBreak)
            .When(new AgentCommand.OfferCall(AgentId, Call1, T0.AddMinutes(3)))
            .ThenThrows<DomainException>("agent.not_ready");

    [Fact]
    public void GivenAgentInWrapUp_WhenOfferedACall_ThenRefusedAsNotReady() =>
        Spec.Given(WrappingUp)
            .When(new AgentCommand.OfferCall(AgentId, Call2, T0.AddMinutes(10).AddSeconds(1)))
            .ThenThrows<DomainException>("agent.not_ready");

    [Fact]
    public void GivenOfflineAgent_WhenOfferedACall_ThenRefusedAsOffline() =>
        Spec.Given(Created)
            .When(new AgentCommand.OfferCall(AgentId, Call1, T0.AddMinutes(3)))
            .ThenThrows<DomainException>("agent.offline");
}
