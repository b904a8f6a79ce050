using Aicc.Domain.Lines;

namespace Aicc.Domain.Tests.Lines;

public partial class LineTests
{
    private static readonly LineCredentials NewCredentials = new("trunk1", "aesgcm1:0a1b2c3d:bmV3");

    [Fact]
    public void GivenLineWithCredentials_WhenNewOnesArrive_ThenOnlyTheCredentialsChange() =>
        Spec.Given(Created, Seized1)
            .When(new LineCommand.ChangeCredentials(LineId, NewCredentials, T0.AddHours(1)))
            .Then(new LineEvent.Reconfigured(LineId, TwoChannels with { Credentials = NewCredentials }, T0.AddHours(1)))
            .ThenState(state =>
            {
                var line = Assert.IsType<Line.Active>(state);
                Assert.Equal(NewCredentials, line.Config.Credentials);
                Assert.Equal([Call1], line.ChannelsInUse);
            });

    [Fact]
    public void GivenLineWithCredentials_WhenTheyAreRemoved_ThenTheLineStopsAuthenticating() =>
        Spec.Given(Created)
            .When(new LineCommand.ChangeCredentials(LineId, null, T0.AddHours(1)))
            .Then(new LineEvent.Reconfigured(LineId, TwoChannels with { Credentials = null }, T0.AddHours(1)));

    [Fact]
    public void GivenLine_WhenTheSameCredentialsArrive_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new LineCommand.ChangeCredentials(LineId, TwoChannels.Credentials, T0.AddHours(1)))
            .ThenNothing();

    [Fact]
    public void GivenLine_WhenCredentialsLackAPassword_ThenRefused() =>
        Spec.Given(Created)
            .When(new LineCommand.ChangeCredentials(LineId, new LineCredentials("trunk1", " "), T0.AddHours(1)))
            .ThenThrows<DomainException>("line.invalid_credentials");

    [Fact]
    public void GivenRetiredLine_WhenCredentialsChange_ThenRefusedAsRetired() =>
        Spec.Given(Created, Retired)
            .When(new LineCommand.ChangeCredentials(LineId, NewCredentials, T0.AddDays(2)))
            .ThenThrows<DomainException>("line.retired");
}
