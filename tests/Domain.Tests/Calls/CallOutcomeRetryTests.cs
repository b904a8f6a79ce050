using Aicc.Domain.Calls;
using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Calls;

public class CallOutcomeRetryTests
{
    [Theory]
    [InlineData(CallOutcome.Busy, RetryOutcome.Busy)]
    [InlineData(CallOutcome.NoAnswer, RetryOutcome.NoAnswer)]
    [InlineData(CallOutcome.Failed, RetryOutcome.Failed)]
    [InlineData(CallOutcome.Abandoned, RetryOutcome.Abandoned)]
    [InlineData(CallOutcome.Answered, null)]
    [InlineData(CallOutcome.Cancelled, null)]
    public void GivenAnEndedCallsOutcome_WhenTheDialerLooksForARetryRule_ThenOnlyUnsuccessfulOutcomesHaveOne(
        CallOutcome outcome, RetryOutcome? expected) =>
        Assert.Equal(expected, outcome.AsRetryOutcome());
}
