using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenRingingAgent_WhenAgentAnswers_ThenAgentIsOnTheCall() =>
        Spec.Given(Ringing)
            .When(new AgentCommand.AcceptCall(AgentId, Call1, T0.AddMinutes(4)))
            .Then(Accepted)
            .ThenState(state => Assert.Equal(Call1, PresenceOf<AgentPresence.OnCall>(state).CallId));

    [Fact]
    public void GivenAgentOnTheCall_WhenAnswerIsRepeated_ThenNothingHappens() =>
        Spec.Given(OnCall)
            .When(new AgentCommand.AcceptCall(AgentId, Call1, T0.AddMinutes(4)))
            .ThenNothing();

    [Fact]
    public void GivenRingingAgent_WhenAnotherCallIsAnswered_ThenRefused() =>
        Spec.Given(Ringing)
            .When(new AgentCommand.AcceptCall(AgentId, Call2, T0.AddMinutes(4)))
            .ThenThrows<DomainException>("agent.no_offer");

    [Fact]
    public void GivenReadyAgent_WhenAnsweringWithoutAnOffer_ThenRefused() =>
        Spec.Given(Ready)
            .When(new AgentCommand.AcceptCall(AgentId, Call1, T0.AddMinutes(4)))
            .ThenThrows<DomainException>("agent.no_offer");
}
