using Aicc.Domain.Agents;
using Aicc.Domain.Common;

namespace Aicc.Domain.Tests.Agents;

public partial class AgentTests
{
    [Fact]
    public void GivenAgent_WhenSkillGroupsChange_ThenNewGroupsAreKept() =>
        Spec.Given(Created)
            .When(new AgentCommand.ChangeSkillGroups(AgentId, ValueList.Of("support", "sales"), T0.AddDays(1)))
            .Then(new AgentEvent.SkillGroupsChanged(AgentId, ValueList.Of("sales", "support"), T0.AddDays(1)))
            .ThenState(state => Assert.Equal(
                ValueList.Of("sales", "support"), Assert.IsType<Agent.Active>(state).Profile.SkillGroups));

    [Fact]
    public void GivenAgentOnACall_WhenTheSameGroupsAreSentInAnotherOrder_ThenNothingHappens() =>
        Spec.Given(OnCall)
            .When(new AgentCommand.ChangeSkillGroups(AgentId, ValueList.Of(" sales"), T0.AddDays(1)))
            .ThenNothing();
}
