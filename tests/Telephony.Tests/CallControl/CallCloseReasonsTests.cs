using Aicc.Telephony.CallControl;

namespace Aicc.Telephony.Tests.CallControl;

public sealed class CallCloseReasonsTests
{
    [Theory]
    [InlineData(486, CallCloseReason.BBusy)]
    [InlineData(600, CallCloseReason.BBusy)]
    [InlineData(603, CallCloseReason.BBusy)]
    [InlineData(404, CallCloseReason.BUnreachable)]
    [InlineData(408, CallCloseReason.BUnreachable)]
    [InlineData(410, CallCloseReason.BUnreachable)]
    [InlineData(480, CallCloseReason.BUnreachable)]
    [InlineData(484, CallCloseReason.BUnreachable)]
    [InlineData(604, CallCloseReason.BUnreachable)]
    [InlineData(487, CallCloseReason.Normal)]
    [InlineData(200, CallCloseReason.Normal)]
    [InlineData(403, CallCloseReason.ChannelError)]
    [InlineData(407, CallCloseReason.ChannelError)]
    [InlineData(488, CallCloseReason.ChannelError)]
    [InlineData(500, CallCloseReason.ChannelError)]
    [InlineData(503, CallCloseReason.ChannelError)]
    [InlineData(504, CallCloseReason.NetworkError)]
    [InlineData(302, CallCloseReason.Other)]
    [InlineData(499, CallCloseReason.Other)]
    [InlineData(699, CallCloseReason.Other)]
    public void GivenAFinalStatusOnTheCalledLeg_ThenTheCloseReasonIsTheSeedGroup(int status, CallCloseReason expected) =>
        Assert.Equal(expected, CallCloseReasons.FromFinalStatus(status, CallLegRole.B));

    [Theory]
    [InlineData(486, CallCloseReason.ABusy)]
    [InlineData(404, CallCloseReason.AUnreachable)]
    [InlineData(480, CallCloseReason.AUnreachable)]
    public void GivenAFinalStatusOnTheCallersLeg_ThenBusyAndUnreachableNameLegA(int status, CallCloseReason expected) =>
        Assert.Equal(expected, CallCloseReasons.FromFinalStatus(status, CallLegRole.A));

    [Fact]
    public void CloseReasonValuesAreSeed001CloseTypeCodes()
    {
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 255], Enum.GetValues<CallCloseReason>().Select(r => (int)r).Order().ToArray());
    }

    [Theory]
    [InlineData(RejectCause.Busy, 486)]
    [InlineData(RejectCause.Unavailable, 480)]
    [InlineData(RejectCause.NotFound, 404)]
    [InlineData(RejectCause.Declined, 603)]
    [InlineData(RejectCause.MediaUnsupported, 488)]
    [InlineData(RejectCause.ServerError, 500)]
    public void GivenARejectCause_ThenTheSipStatusIsTheMatchingOne(RejectCause cause, int status) =>
        Assert.Equal(status, CallCloseReasons.StatusFor(cause));
}

public sealed class SipInfoDtmfTests
{
    [Theory]
    [InlineData("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", '5', 160)]
    [InlineData("application/dtmf-relay", "Signal= #\nDuration= 250", '#', 250)]
    [InlineData("Application/DTMF-Relay; charset=x", "signal=11\r\n", '#', 100)]
    [InlineData("application/dtmf", "*", '*', 100)]
    [InlineData("application/dtmf", "10", '*', 100)]
    public void GivenADtmfInfoBody_ThenTheDigitIsRead(string contentType, string body, char digit, int duration)
    {
        Assert.True(SipInfoDtmf.TryParse(contentType, body, out var read, out var readDuration));
        Assert.Equal(digit, read);
        Assert.Equal(duration, readDuration);
    }

    [Theory]
    [InlineData("application/sdp", "Signal=5")]
    [InlineData("application/dtmf-relay", "Duration=160")]
    [InlineData("application/dtmf-relay", "Signal=X")]
    [InlineData("application/dtmf", "99")]
    [InlineData(null, "Signal=1")]
    public void GivenSomethingElse_ThenNoDigit(string? contentType, string body) =>
        Assert.False(SipInfoDtmf.TryParse(contentType, body, out _, out _));
}
