using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenRingingAgent_WhenOfferRingsOut_ThenAgentIsNotReadyForAMissedCall() =>
        Spec.Given(Ringing)
            .When(new AgentCommand.EndOffer(AgentId, Call1, OfferEndReason.Unanswered, T0.AddMinutes(4)))
            .Then(new AgentEvent.OfferEnded(AgentId, Call1, OfferEndReason.Unanswered, T0.AddMinutes(4)))
            .ThenState(state => Assert.Equal(
                AgentPresence.MissedCallReason, PresenceOf<AgentPresence.NotReady>(state).Reason));

    [Fact]
    public void GivenRingingAgent_WhenAgentDeclines_ThenAgentIsReadyAgain() =>
        Spec.Given(Ringing)
            .When(new AgentCommand.EndOffer(AgentId, Call1, OfferEndReason.Declined, T0.AddMinutes(4)))
            .Then(new AgentEvent.OfferEnded(AgentId, Call1, OfferEndReason.Declined, T0.AddMinutes(4)))
            .ThenState(state => PresenceOf<AgentPresence.Ready>(state));

    [Fact]
    public void GivenRingingAgent_WhenCallerCancels_ThenOfferIsWithdrawnAndAgentIsReady() =>
        Spec.Given(Ringing)
            .When(new AgentCommand.EndOffer(AgentId, Call1, OfferEndReason.Withdrawn, T0.AddMinutes(4)))
            .Then(new AgentEvent.OfferEnded(AgentId, Call1, OfferEndReason.Withdrawn, T0.AddMinutes(4)))
            .ThenState(state => PresenceOf<AgentPresence.Ready>(state));

    [Fact]
    public void GivenAgentWhoAcceptedTheCall_WhenTheRingTimeoutArrivesLate_ThenNothingHappens() =>
        Spec.Given(OnCall)
            .When(new AgentCommand.EndOffer(AgentId, Call1, OfferEndReason.Unanswered, T0.AddMinutes(5)))
            .ThenNothing();

    [Fact]
    public void GivenAgentRingingWithTheNextCall_WhenTheOldOffersTimeoutArrives_ThenTheNewOfferKeepsRinging() =>
        Spec.Given(Ringing)
            .When(new AgentCommand.EndOffer(AgentId, Call2, OfferEndReason.Unanswered, T0.AddMinutes(4)))
            .ThenNothing()
            .ThenState(state => Assert.Equal(Call1, PresenceOf<AgentPresence.Ringing>(state).CallId));

    [Fact]
    public void GivenRingingAgent_WhenOfferEndsForAnUnknownReason_ThenRefused() =>
        Spec.Given(Ringing)
            .When(new AgentCommand.EndOffer(AgentId, Call1, (OfferEndReason)9, T0.AddMinutes(4)))
            .ThenThrows<DomainException>("agent.unknown_offer_end");
}
