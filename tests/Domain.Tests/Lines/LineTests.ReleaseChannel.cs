using Aicc.Domain.Lines;

namespace Aicc.Domain.Tests.Lines;

public partial class LineTests
{
    [Fact]
    public void GivenFullLine_WhenACallReleasesItsChannel_ThenOneChannelIsFree() =>
        Spec.Given(Created, Seized1, Seized2)
            .When(new LineCommand.ReleaseChannel(LineId, Call1, T0.AddMinutes(5)))
            .Then(new LineEvent.ChannelReleased(LineId, Call1, 1, T0.AddMinutes(5)))
            .ThenState(state => Assert.Equal([Call2], Assert.IsType<Line.Active>(state).ChannelsInUse));

    [Fact]
    public void GivenReleasedChannel_WhenReleasedAgain_ThenNothingHappens() =>
        Spec.Given(Created, Seized1, new LineEvent.ChannelReleased(LineId, Call1, 0, T0.AddMinutes(5)))
            .When(new LineCommand.ReleaseChannel(LineId, Call1, T0.AddMinutes(6)))
            .ThenNothing();

    [Fact]
    public void GivenRetiredLine_WhenALateReleaseArrives_ThenNothingHappens() =>
        Spec.Given(Created, Retired)
            .When(new LineCommand.ReleaseChannel(LineId, Call1, T0.AddDays(2)))
            .ThenNothing();
}
