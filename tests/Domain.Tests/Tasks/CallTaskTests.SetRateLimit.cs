using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenRunningTask_WhenRateLimitIsSet_ThenDialerIsCapped() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.SetRateLimit(TaskId, 60, T0.AddHours(1)))
            .Then(new CallTaskEvent.RateLimitSet(TaskId, 60, T0.AddHours(1)))
            .ThenState(state => Assert.Equal(60, SetupOf(state).MaxCallsPerMinute));

    [Fact]
    public void GivenLimitedTask_WhenLimitIsLifted_ThenLimitIsNull() =>
        Spec.Given(Created, new CallTaskEvent.RateLimitSet(TaskId, 60, T0))
            .When(new CallTaskCommand.SetRateLimit(TaskId, null, T0.AddHours(1)))
            .Then(new CallTaskEvent.RateLimitSet(TaskId, null, T0.AddHours(1)));

    [Fact]
    public void GivenUnlimitedTask_WhenNoLimitIsSetAgain_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetRateLimit(TaskId, null, T0.AddHours(1)))
            .ThenNothing();

    [Fact]
    public void GivenDraft_WhenRateLimitIsZero_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetRateLimit(TaskId, 0, T0))
            .ThenThrows<DomainException>("task.invalid_rate_limit");
}
