using Aicc.Domain.Lines;

namespace Aicc.Domain.Tests.Lines;

public partial class LineTests
{
    [Fact]
    public void GivenNoLine_WhenCreated_ThenLineHasNoChannelsInUseAndUnknownHealth() =>
        Spec.When(new LineCommand.Create(LineId, TenantId, " China Telecom 1 ", TwoChannels, T0))
            .Then(Created)
            .ThenState(state =>
            {
                var line = Assert.IsType<Line.Active>(state);
                Assert.Empty(line.ChannelsInUse);
                Assert.Equal(LineHealth.Unknown, line.Health);
            });

    [Fact]
    public void GivenLine_WhenCreatedAgainIdentically_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new LineCommand.Create(LineId, TenantId, "China Telecom 1", TwoChannels, T0))
            .ThenNothing();

    [Fact]
    public void GivenLine_WhenCreatedAgainDifferently_ThenRefused() =>
        Spec.Given(Created)
            .When(new LineCommand.Create(LineId, TenantId, "China Telecom 1", TwoChannels with { MaxChannels = 3 }, T0))
            .ThenThrows<DomainException>("line.already_exists");

    [Fact]
    public void GivenNoLine_WhenCreatedWithoutName_ThenRefused() =>
        Spec.When(new LineCommand.Create(LineId, TenantId, " ", TwoChannels, T0))
            .ThenThrows<DomainException>("line.name_required");

    [Fact]
    public void GivenNoLine_WhenCreatedWithoutAddress_ThenRefused() =>
        Spec.When(new LineCommand.Create(LineId, TenantId, "L", TwoChannels with { Address = "" }, T0))
            .ThenThrows<DomainException>("line.address_required");

    [Fact]
    public void GivenNoLine_WhenCreatedWithUnknownTransport_ThenRefused() =>
        Spec.When(new LineCommand.Create(LineId, TenantId, "L", TwoChannels with { Transport = (LineTransport)0 }, T0))
            .ThenThrows<DomainException>("line.unknown_transport");

    [Fact]
    public void GivenNoLine_WhenCreatedWithZeroChannels_ThenRefused() =>
        Spec.When(new LineCommand.Create(LineId, TenantId, "L", TwoChannels with { MaxChannels = 0 }, T0))
            .ThenThrows<DomainException>("line.invalid_max_channels");

    [Fact]
    public void GivenNoLine_WhenCredentialsLackThePassword_ThenRefused() =>
        Spec.When(new LineCommand.Create(
                LineId, TenantId, "L", TwoChannels with { Credentials = new LineCredentials("trunk1", "") }, T0))
            .ThenThrows<DomainException>("line.invalid_credentials");

    [Fact]
    public void GivenNoLine_WhenFixedCallerIdHasNoNumber_ThenRefused() =>
        Spec.When(new LineCommand.Create(
                LineId, TenantId, "L", TwoChannels with { CallerId = new CallerIdRules(CallerIdMode.Fixed, null, null) }, T0))
            .ThenThrows<DomainException>("line.invalid_caller_id_rules");

    [Fact]
    public void GivenNoLine_WhenDialPrefixIsNotDigits_ThenRefused() =>
        Spec.When(new LineCommand.Create(
                LineId, TenantId, "L", TwoChannels with { CallerId = new CallerIdRules(CallerIdMode.Fixed, Fixed, "9#") }, T0))
            .ThenThrows<DomainException>("line.invalid_caller_id_rules");

    [Fact]
    public void GivenNoLine_WhenCreatedWithFixedCallerIdAndPrefix_ThenCreated() =>
        Spec.When(new LineCommand.Create(
                LineId, TenantId, "L", TwoChannels with { CallerId = new CallerIdRules(CallerIdMode.Fixed, Fixed, "9") }, T0))
            .Then(new LineEvent.Created(
                LineId, TenantId, "L", TwoChannels with { CallerId = new CallerIdRules(CallerIdMode.Fixed, Fixed, "9") }, T0));

    [Fact]
    public void GivenNoLine_WhenAChannelIsSeized_ThenRefusedAsNotFound() =>
        Spec.When(new LineCommand.SeizeChannel(LineId, Call1, T0))
            .ThenThrows<DomainException>("line.not_found");
}
