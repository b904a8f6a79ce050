using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenAgentInWrapUp_WhenTheTimerFiresAtTheEnd_ThenAgentIsReady() =>
        Spec.Given(WrappingUp)
            .When(new AgentCommand.EndAfterCallWork(AgentId, Call1, T0.AddMinutes(10).AddSeconds(30)))
            .Then(new AgentEvent.AfterCallWorkEnded(AgentId, Call1, AfterCallWorkEnd.Timer, T0.AddMinutes(10).AddSeconds(30)))
            .ThenState(state => PresenceOf<AgentPresence.Ready>(state));

    [Fact]
    public void GivenAgentInWrapUp_WhenTheTimerFiresEarly_ThenRefusedAsNotDue() =>
        Spec.Given(WrappingUp)
            .When(new AgentCommand.EndAfterCallWork(AgentId, Call1, T0.AddMinutes(10).AddSeconds(29)))
            .ThenThrows<DomainException>("agent.after_call_work_not_due");

    [Fact]
    public void GivenAgentWhoEndedWrapUpAndTookTheNextCall_WhenTheOldTimerFires_ThenNothingHappens() =>
        Spec.Given([.. WrappingUp, WrapUpEnded, new AgentEvent.CallOffered(AgentId, Call2, T0.AddMinutes(10).AddSeconds(20))])
            .When(new AgentCommand.EndAfterCallWork(AgentId, Call1, T0.AddMinutes(10).AddSeconds(30)))
            .ThenNothing();

    [Fact]
    public void GivenAgentWhoEndedWrapUpEarly_WhenTheTimerFires_ThenNothingHappens() =>
        Spec.Given([.. WrappingUp, WrapUpEnded])
            .When(new AgentCommand.EndAfterCallWork(AgentId, Call1, T0.AddMinutes(10).AddSeconds(30)))
            .ThenNothing();

    [Fact]
    public void GivenAgentWhoLoggedOutDuringWrapUp_WhenTheTimerFires_ThenNothingHappens() =>
        Spec.Given([.. WrappingUp, new AgentEvent.LoggedOut(AgentId, T0.AddMinutes(10).AddSeconds(10))])
            .When(new AgentCommand.EndAfterCallWork(AgentId, Call1, T0.AddMinutes(10).AddSeconds(30)))
            .ThenNothing();
}
