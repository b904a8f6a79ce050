using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenDraft_WhenWindowsAreSetOutOfOrder_ThenTheyAreStoredSorted() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetCallingWindows(TaskId, Windows((19, 21), (10, 12)), T0))
            .Then(new CallTaskEvent.CallingWindowsSet(TaskId, Windows((10, 12), (19, 21)), T0))
            .ThenState(state => Assert.Equal(Windows((10, 12), (19, 21)), SetupOf(state).Windows));

    [Fact]
    public void GivenDraft_WhenTheDefaultWindowsAreSet_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetCallingWindows(TaskId, Windows((14, 18), (9, 12)), T0))
            .ThenNothing();

    [Fact]
    public void GivenDraft_WhenNoWindowIsGiven_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetCallingWindows(TaskId, Windows(), T0))
            .ThenThrows<DomainException>("task.invalid_calling_windows");

    [Fact]
    public void GivenDraft_WhenAWindowEndsBeforeItStarts_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetCallingWindows(TaskId, Windows((18, 9)), T0))
            .ThenThrows<DomainException>("task.invalid_calling_windows");

    [Fact]
    public void GivenDraft_WhenWindowsOverlap_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetCallingWindows(TaskId, Windows((9, 13), (12, 18)), T0))
            .ThenThrows<DomainException>("task.invalid_calling_windows");

    [Theory]
    [InlineData(8, 59, false)]
    [InlineData(9, 0, true)]
    [InlineData(11, 59, true)]
    [InlineData(12, 0, false)]
    [InlineData(13, 30, false)]
    [InlineData(14, 0, true)]
    [InlineData(18, 0, false)]
    public void GivenDefaultWindows_WhenCalleeLocalTimeIsChecked_ThenOnlyMorningAndAfternoonAllowCalls(
        int hour, int minute, bool allowed) =>
        Assert.Equal(allowed, CallingWindow.Allows(CallingWindow.Default, new TimeOnly(hour, minute)));
}
