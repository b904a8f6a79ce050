using Aicc.Domain.Common;
using Aicc.Domain.Tasks;

namespace Aicc.Domain.Tests.Tasks;

public partial class CallTaskTests
{
    [Fact]
    public void GivenDraft_WhenDispositionsAreSet_ThenTheyAreTrimmedAndDistinct() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetDispositions(TaskId, ValueList.Of("sold", " callback ", "sold"), T0))
            .Then(new CallTaskEvent.DispositionsSet(TaskId, ValueList.Of("sold", "callback"), T0))
            .ThenState(state => Assert.Equal(ValueList.Of("sold", "callback"), SetupOf(state).Dispositions));

    [Fact]
    public void GivenTaskWithDispositions_WhenTheSameAreSet_ThenNothingHappens() =>
        Spec.Given(Created, new CallTaskEvent.DispositionsSet(TaskId, ValueList.Of("sold"), T0))
            .When(new CallTaskCommand.SetDispositions(TaskId, ValueList.Of("sold"), T0.AddMinutes(1)))
            .ThenNothing();

    [Fact]
    public void GivenDraft_WhenADispositionIsBlank_ThenRefused() =>
        Spec.Given(Created)
            .When(new CallTaskCommand.SetDispositions(TaskId, ValueList.Of("sold", " "), T0))
            .ThenThrows<DomainException>("task.invalid_dispositions");
}
