using Aicc.Domain.Compliance;

namespace Aicc.Domain.Tests.Compliance;

public sealed class FailureFeedbackTests
{
    [Fact]
    public void Failures_are_counted_per_line_and_reason_worst_first()
    {
        var feedback = FailureFeedback.Empty
            .Record("trunk-a", "503 service unavailable")
            .Record("trunk-b", "number unreachable")
            .Record("trunk-a", "503 service unavailable")
            .Record("trunk-a", "number unreachable");

        Assert.Equal(
            [("trunk-a", "503 service unavailable", 2), ("trunk-a", "number unreachable", 1), ("trunk-b", "number unreachable", 1)],
            feedback.Worst(5));
    }
}
