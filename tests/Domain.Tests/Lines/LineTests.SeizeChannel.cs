using Aicc.Domain.Lines;

namespace Aicc.Domain.Tests.Lines;

public partial class LineTests
{
    [Fact]
    public void GivenIdleLine_WhenACallSeizesAChannel_ThenOneChannelIsInUse() =>
        Spec.Given(Created)
            .When(new LineCommand.SeizeChannel(LineId, Call1, T0.AddMinutes(1)))
            .Then(Seized1)
            .ThenState(state => Assert.Equal([Call1], Assert.IsType<Line.Active>(state).ChannelsInUse));

    [Fact]
    public void GivenLineWithOneChannelFree_WhenACallSeizesIt_ThenLineIsFull() =>
        Spec.Given(Created, Seized1)
            .When(new LineCommand.SeizeChannel(LineId, Call2, T0.AddMinutes(2)))
            .Then(Seized2);

    [Fact]
    public void GivenFullLine_WhenAnotherCallSeizes_ThenRefusedAtCapacity() =>
        Spec.Given(Created, Seized1, Seized2)
            .When(new LineCommand.SeizeChannel(LineId, Call3, T0.AddMinutes(3)))
            .ThenThrows<DomainException>("line.at_capacity");

    [Fact]
    public void GivenFullLine_WhenAHoldingCallRetriesItsSeize_ThenNothingHappens() =>
        Spec.Given(Created, Seized1, Seized2)
            .When(new LineCommand.SeizeChannel(LineId, Call1, T0.AddMinutes(3)))
            .ThenNothing();

    [Fact]
    public void GivenLineDown_WhenACallSeizes_ThenRefusedAsDown() =>
        Spec.Given(Created, Down)
            .When(new LineCommand.SeizeChannel(LineId, Call1, T0.AddMinutes(4)))
            .ThenThrows<DomainException>("line.down");

    [Fact]
    public void GivenRetiredLine_WhenACallSeizes_ThenRefusedAsRetired() =>
        Spec.Given(Created, Retired)
            .When(new LineCommand.SeizeChannel(LineId, Call1, T0.AddDays(2)))
            .ThenThrows<DomainException>("line.retired");

    [Fact]
    public void GivenAnyInterleavingOfSeizesAndReleases_WhenFolded_ThenChannelsInUseNeverExceedTheCap()
    {
        var random = new Random(42);
        var calls = Enumerable.Range(1, 8).Select(i => new Guid(i, 0, 0, new byte[8])).ToArray();
        var state = LineDecider.Evolve(LineDecider.Initial, Created);
        var refusals = 0;
        for (var step = 0; step < 500; step++)
        {
            var call = calls[random.Next(calls.Length)];
            LineCommand command = random.Next(2) == 0
                ? new LineCommand.SeizeChannel(LineId, call, T0.AddSeconds(step))
                : new LineCommand.ReleaseChannel(LineId, call, T0.AddSeconds(step));
            try
            {
                state = LineDecider.Decide(command, state).Aggregate(state, LineDecider.Evolve);
            }
            catch (DomainException refused) when (refused.Code == "line.at_capacity")
            {
                refusals++;
            }

            var line = Assert.IsType<Line.Active>(state);
            Assert.InRange(line.ChannelsInUse.Count, 0, TwoChannels.MaxChannels);
            Assert.Equal(line.ChannelsInUse.Distinct().Count(), line.ChannelsInUse.Count);
        }

        Assert.True(refusals > 0, "the walk should have hit the cap at least once");
    }
}
