using System.Collections.Concurrent;
using System.Globalization;
using Aicc.Telephony.Sip.UserAgents;
using Aicc.Telephony.Tests.Sip.Transport;

namespace Aicc.Telephony.Tests.Sip.Interop;

public sealed class SippInteropTests
{
    [Fact]
    public async Task GivenSippBuiltInUac_WhenItCallsOurUas_ThenEveryCallIsAnsweredAckedAndHungUp()
    {
        var ended = new ConcurrentBag<SipCallEndReason>();
        var confirmed = 0;
        await using var uas = RunningUas.Start(onCall: call =>
        {
            call.Confirmed += _ => Interlocked.Increment(ref confirmed);
            call.Ended += (_, reason) => ended.Add(reason);
            call.Ring();
            call.Answer(RunningUas.AnswerBody);
        });
        const int calls = 30;

        var run = await Sipp.RunAsync(
        [
            "-sn", "uac", $"127.0.0.1:{uas.Udp.Port}",
            "-i", "127.0.0.1", "-p", Sipp.FreeUdpPort().ToString(CultureInfo.InvariantCulture),
            "-mp", Sipp.FreeUdpPort().ToString(CultureInfo.InvariantCulture),
            "-m", calls.ToString(CultureInfo.InvariantCulture), "-r", "15", "-l", "10",
            "-nostdin", "-timeout", "40s", "-timeout_error", "-trace_err",
        ], TimeSpan.FromSeconds(50));

        Assert.True(run.ExitCode == 0, $"sipp exit {run.ExitCode}:\n{run.Output}");
        Assert.Equal(calls, confirmed);
        Assert.Equal(calls, ended.Count(r => r == SipCallEndReason.CallerHungUp));
        Assert.Equal(0, uas.Uas.ActiveCalls);
        Assert.Equal(0, uas.Stack.Faults);
    }
}
