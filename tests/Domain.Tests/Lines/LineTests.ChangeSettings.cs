using Aicc.Domain.Lines;

namespace Aicc.Domain.Tests.Lines;

public partial class LineTests
{
    // A property: static fields of the other partial file may not be set yet when this one initialises.
    private static CallerIdRules FixedWithPrefix => new(CallerIdMode.Fixed, Fixed, "9");

    [Fact]
    public void GivenLine_WhenSettingsChange_ThenTheyHoldAndTheCredentialsAreKept() =>
        Spec.Given(Created)
            .When(new LineCommand.ChangeSettings(LineId, " gw2.example.net:5080 ", LineTransport.Tcp, FixedWithPrefix, 8, T0.AddHours(1)))
            .Then(new LineEvent.Reconfigured(LineId, new LineConfig("gw2.example.net:5080", LineTransport.Tcp, TwoChannels.Credentials, FixedWithPrefix, 8), T0.AddHours(1)))
            .ThenState(state => Assert.Equal(TwoChannels.Credentials, Assert.IsType<Line.Active>(state).Config.Credentials));

    [Fact]
    public void GivenCredentialsChangedSinceTheOperatorRead_WhenSettingsChange_ThenTheNewCredentialsStay() =>
        Spec.Given(Created, new LineEvent.Reconfigured(LineId, TwoChannels with { Credentials = new LineCredentials("trunk2", "enc:v1:def") }, T0.AddMinutes(5)))
            .When(new LineCommand.ChangeSettings(LineId, TwoChannels.Address, TwoChannels.Transport, TwoChannels.CallerId, 4, T0.AddHours(1)))
            .Then(new LineEvent.Reconfigured(LineId, TwoChannels with { Credentials = new LineCredentials("trunk2", "enc:v1:def"), MaxChannels = 4 }, T0.AddHours(1)));

    [Fact]
    public void GivenLine_WhenTheSameSettingsAreSent_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new LineCommand.ChangeSettings(LineId, TwoChannels.Address, TwoChannels.Transport, TwoChannels.CallerId, TwoChannels.MaxChannels, T0.AddHours(1)))
            .ThenNothing();

    [Fact]
    public void GivenLine_WhenAFixedCallerIdHasNoNumber_ThenRefused() =>
        Spec.Given(Created)
            .When(new LineCommand.ChangeSettings(LineId, TwoChannels.Address, TwoChannels.Transport, new CallerIdRules(CallerIdMode.Fixed, null, null), 2, T0.AddHours(1)))
            .ThenThrows<DomainException>("line.invalid_caller_id_rules");

    [Fact]
    public void GivenLine_WhenTheAddressIsBlank_ThenRefused() =>
        Spec.Given(Created)
            .When(new LineCommand.ChangeSettings(LineId, "  ", TwoChannels.Transport, TwoChannels.CallerId, 2, T0.AddHours(1)))
            .ThenThrows<DomainException>("line.address_required");

    [Fact]
    public void GivenLineWithTwoCallsUp_WhenTheCapIsLoweredToOne_ThenBothContinueAndTheCountStays() =>
        Spec.Given(Created, Seized1, Seized2)
            .When(new LineCommand.ChangeSettings(LineId, TwoChannels.Address, TwoChannels.Transport, TwoChannels.CallerId, 1, T0.AddHours(1)))
            .Then(new LineEvent.Reconfigured(LineId, TwoChannels with { MaxChannels = 1 }, T0.AddHours(1)))
            .ThenState(state => Assert.Equal(2, Assert.IsType<Line.Active>(state).ChannelsInUse.Count));

    [Fact]
    public void GivenRetiredLine_WhenSettingsChange_ThenRefusedAsRetired() =>
        Spec.Given(Created, Retired)
            .When(new LineCommand.ChangeSettings(LineId, TwoChannels.Address, TwoChannels.Transport, TwoChannels.CallerId, 5, T0.AddDays(2)))
            .ThenThrows<DomainException>("line.retired");
}
