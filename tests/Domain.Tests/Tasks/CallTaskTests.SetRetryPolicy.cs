using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    private static readonly RetryPolicy Patient = RetryPolicy.Default with
    {
        Busy = new RetryRule(TimeSpan.FromMinutes(2), 5),
    };

    [Fact]
    public void GivenRunningTask_WhenRetryPolicyChanges_ThenItIsSet() =>
        Spec.Given(Running)
            .When(new CallTaskCommand.SetRetryPolicy(TaskId, Patient, T0.AddHours(1)))
            .Then(new CallTaskEvent.RetryPolicySet(TaskId, Patient, T0.AddHours(1)))
            .ThenState(state => Assert.Equal(5, SetupOf(state).Retry.Busy.MaxAttempts));

    [Fact]
    public void GivenDraft_WhenTheDefaultPolicyIsSet_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetRetryPolicy(TaskId, RetryPolicy.Default, T0))
            .ThenNothing();

    [Fact]
    public void GivenDraft_WhenADelayIsNegative_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetRetryPolicy(
                TaskId, RetryPolicy.Default with { Failed = new RetryRule(TimeSpan.FromMinutes(-1), 2) }, T0))
            .ThenThrows<DomainException>("task.invalid_retry_policy");

    [Fact]
    public void GivenDraft_WhenMaxAttemptsIsZero_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetRetryPolicy(
                TaskId, RetryPolicy.Default with { Abandoned = new RetryRule(TimeSpan.FromMinutes(1), 0) }, T0))
            .ThenThrows<DomainException>("task.invalid_retry_policy");

    [Fact]
    public void GivenBusyRuleOfThreeAttempts_WhenSecondAttemptIsBusy_ThenThirdIsDueAfterTheDelay() =>
        Assert.Equal(T0.AddMinutes(10), RetryPolicy.Default.NextAttemptAt(RetryOutcome.Busy, 2, T0));

    [Fact]
    public void GivenBusyRuleOfThreeAttempts_WhenThirdAttemptIsBusy_ThenNoFurtherAttempt() =>
        Assert.Null(RetryPolicy.Default.NextAttemptAt(RetryOutcome.Busy, 3, T0));

    [Fact]
    public void GivenDefaultPolicy_WhenFirstAttemptIsAbandoned_ThenRetryFollowsTheAbandonedRule() =>
        Assert.Equal(T0.AddMinutes(30), RetryPolicy.Default.NextAttemptAt(RetryOutcome.Abandoned, 1, T0));
}
