using Aicc.Domain.Agents;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenOfflineAgent_WhenLoggingIn_ThenAgentIsReady() =>
        Spec.Given(Created)
            .When(new AgentCommand.LogIn(AgentId, T0.AddMinutes(1)))
            .Then(LoggedIn)
            .ThenState(state => Assert.Equal(T0.AddMinutes(1), PresenceOf<AgentPresence.Ready>(state).Since));

    [Fact]
    public void GivenAgentOnBreak_WhenLoggingInAgain_ThenNothingHappens() =>
        Spec.Given(Created, LoggedIn, OnBreak)
            .When(new AgentCommand.LogIn(AgentId, T0.AddMinutes(5)))
            .ThenNothing();
}
