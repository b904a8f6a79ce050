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

    [Fact]
    public async Task GivenSippBuiltInUas_WhenOurUacCallsAndHangsUp_ThenSippCountsEveryCallAsSuccessful()
    {
        await using var ours = RunningUas.Start();
        var client = new SipUserAgentClient(ours.Uas);
        var sippPort = Sipp.FreeUdpPort();
        const int calls = 10;
        using var sipp = Sipp.Start(
        [
            "-sn", "uas", "-i", "127.0.0.1", "-p", sippPort.ToString(CultureInfo.InvariantCulture),
            "-mp", Sipp.FreeUdpPort().ToString(CultureInfo.InvariantCulture),
            "-m", calls.ToString(CultureInfo.InvariantCulture), "-nostdin", "-timeout", "40s", "-timeout_error", "-trace_err",
        ]);
        var remote = new Aicc.Telephony.Sip.Transport.SipRemote(Aicc.Telephony.Sip.Transport.SipTransportKind.Udp, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, sippPort));
        var target = Aicc.Telephony.Sip.Messages.SipUri.Create("service", "127.0.0.1", sippPort);

        var results = new List<(int Status, int ByeStatus)>();
        for (var i = 0; i < calls; i++)
        {
            // sipp may still be opening its socket for the first call; timer A retransmits the INVITE.
            var call = client.Call(target, remote, "dialer", RunningUas.AnswerBody);
            var answer = await call.Answered.WaitAsync(TimeSpan.FromSeconds(10));
            var bye = call.HangUp();
            var byeResponse = bye is null ? null : await bye.FinalResponse.WaitAsync(TimeSpan.FromSeconds(10));
            results.Add((answer.StatusCode, byeResponse?.StatusCode ?? 0));
        }

        var run = await sipp.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(results, r => Assert.Equal((200, 200), r));
        Assert.True(run.ExitCode == 0, $"sipp exit {run.ExitCode}:\n{run.Output}");
    }
}
