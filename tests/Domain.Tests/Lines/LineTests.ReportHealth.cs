using Aicc.Domain.Lines;

namespace Aicc.Domain.Tests.Lines;

public partial class LineTests
{
    [Fact]
    public void GivenNewLine_WhenOptionsPingIsAnswered_ThenLineIsUp() =>
        Spec.Given(Created)
            .When(new LineCommand.ReportUp(LineId, LineHealthSource.OptionsPing, T0.AddMinutes(1)))
            .Then(new LineEvent.WentUp(LineId, LineHealthSource.OptionsPing, T0.AddMinutes(1)))
            .ThenState(state => Assert.Equal(LineHealth.Up, Assert.IsType<Line.Active>(state).Health));

    [Fact]
    public void GivenLineUp_WhenAnotherPingIsAnswered_ThenNothingHappens() =>
        Spec.Given(Created, new LineEvent.WentUp(LineId, LineHealthSource.OptionsPing, T0.AddMinutes(1)))
            .When(new LineCommand.ReportUp(LineId, LineHealthSource.OptionsPing, T0.AddMinutes(2)))
            .ThenNothing();

    [Fact]
    public void GivenNewLine_WhenPingsGoUnanswered_ThenLineIsDown() =>
        Spec.Given(Created)
            .When(new LineCommand.ReportDown(LineId, LineHealthSource.OptionsPing, " no OPTIONS reply ", T0.AddMinutes(3)))
            .Then(Down)
            .ThenState(state => Assert.Equal(LineHealth.Down, Assert.IsType<Line.Active>(state).Health));

    [Fact]
    public void GivenLineDown_WhenRegistrationIsRefusedToo_ThenNothingHappens() =>
        Spec.Given(Created, Down)
            .When(new LineCommand.ReportDown(LineId, LineHealthSource.Registration, "403", T0.AddMinutes(4)))
            .ThenNothing();

    [Fact]
    public void GivenLineDown_WhenRegistrationSucceeds_ThenLineIsUpAndTakesCallsAgain() =>
        Spec.Given(Created, Down)
            .When(new LineCommand.ReportUp(LineId, LineHealthSource.Registration, T0.AddMinutes(5)))
            .Then(new LineEvent.WentUp(LineId, LineHealthSource.Registration, T0.AddMinutes(5)))
            .ThenState(state => Assert.NotEmpty(
                LineDecider.Decide(new LineCommand.SeizeChannel(LineId, Call1, T0.AddMinutes(6)), state)));

    [Fact]
    public void GivenLine_WhenReportedDownWithoutReason_ThenReasonIsUnreachable() =>
        Spec.Given(Created)
            .When(new LineCommand.ReportDown(LineId, LineHealthSource.Operator, "", T0.AddMinutes(3)))
            .Then(new LineEvent.WentDown(LineId, LineHealthSource.Operator, "unreachable", T0.AddMinutes(3)));
}
