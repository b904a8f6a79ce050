using Aicc.Domain.Lines;

namespace Aicc.Domain.Tests.Lines;

public partial class LineTests
{
    [Fact]
    public void GivenLine_WhenReconfigured_ThenNewConfigHolds() =>
        Spec.Given(Created)
            .When(new LineCommand.Reconfigure(LineId, TwoChannels with { Transport = LineTransport.Tls }, T0.AddHours(1)))
            .Then(new LineEvent.Reconfigured(LineId, TwoChannels with { Transport = LineTransport.Tls }, T0.AddHours(1)))
            .ThenState(state => Assert.Equal(LineTransport.Tls, Assert.IsType<Line.Active>(state).Config.Transport));

    [Fact]
    public void GivenLine_WhenTheSameConfigIsSent_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new LineCommand.Reconfigure(LineId, TwoChannels, T0.AddHours(1)))
            .ThenNothing();

    [Fact]
    public void GivenLine_WhenReconfiguredWithZeroChannels_ThenRefused() =>
        Spec.Given(Created)
            .When(new LineCommand.Reconfigure(LineId, TwoChannels with { MaxChannels = 0 }, T0.AddHours(1)))
            .ThenThrows<DomainException>("line.invalid_max_channels");

    [Fact]
    public void GivenFullLine_WhenCapIsLowered_ThenCallsContinueButNoNewSeizeIsAllowed() =>
        Spec.Given(Created, Seized1, Seized2, new LineEvent.Reconfigured(LineId, TwoChannels with { MaxChannels = 1 }, T0.AddMinutes(3)))
            .When(new LineCommand.ReleaseChannel(LineId, Call1, T0.AddMinutes(4)))
            .Then(new LineEvent.ChannelReleased(LineId, Call1, 1, T0.AddMinutes(4)))
            .ThenState(state => Assert.Throws<DomainException>(
                () => LineDecider.Decide(new LineCommand.SeizeChannel(LineId, Call3, T0.AddMinutes(5)), state)));

    [Fact]
    public void GivenRetiredLine_WhenReconfigured_ThenRefusedAsRetired() =>
        Spec.Given(Created, Retired)
            .When(new LineCommand.Reconfigure(LineId, TwoChannels with { MaxChannels = 5 }, T0.AddDays(2)))
            .ThenThrows<DomainException>("line.retired");
}
