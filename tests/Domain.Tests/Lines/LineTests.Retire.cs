using Aicc.Domain.Lines;

namespace Aicc.Domain.Tests.Lines;

public partial class LineTests
{
    [Fact]
    public void GivenIdleLine_WhenRetired_ThenLineIsRetired() =>
        Spec.Given(Created)
            .When(new LineCommand.Retire(LineId, T0.AddDays(1)))
            .Then(Retired)
            .ThenState(state => Assert.IsType<Line.Retired>(state));

    [Fact]
    public void GivenRetiredLine_WhenRetiredAgain_ThenNothingHappens() =>
        Spec.Given(Created, Retired)
            .When(new LineCommand.Retire(LineId, T0.AddDays(2)))
            .ThenNothing();

    [Fact]
    public void GivenLineCarryingCalls_WhenRetired_ThenRefusedAsInUse() =>
        Spec.Given(Created, Seized1)
            .When(new LineCommand.Retire(LineId, T0.AddDays(1)))
            .ThenThrows<DomainException>("line.in_use");
}
