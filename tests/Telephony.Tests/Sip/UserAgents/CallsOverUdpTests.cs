using System.Net;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;
using Aicc.Telephony.Tests.Sip.Transport;

namespace Aicc.Telephony.Tests.Sip.UserAgents;

/// <summary>Our UAC calling our UAS, two stacks on loopback UDP, real clock.</summary>
public sealed class CallsOverUdpTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static (SipUserAgentClient Client, RunningUas Caller) Caller()
    {
        var caller = RunningUas.Start();
        return (new SipUserAgentClient(caller.Uas), caller);
    }

    private static SipRemote To(RunningUas callee) => new(SipTransportKind.Udp, callee.Udp);

    private static SipUri Target(RunningUas callee) => SipUri.Create("agent", "127.0.0.1", callee.Udp.Port);

    [Fact]
    public async Task GivenAnsweringCallee_WhenWeCallAndHangUp_ThenBothSidesSeeTheSameDialogEnd()
    {
        var calleeEnded = new TaskCompletionSource<SipCallEndReason>();
        await using var callee = RunningUas.Start(onCall: call =>
        {
            call.Ended += (_, reason) => calleeEnded.TrySetResult(reason);
            call.Ring();
            call.Answer(RunningUas.AnswerBody);
        });
        var (client, caller) = Caller();
        await using var _ = caller;
        var rings = 0;

        var call = client.Call(Target(callee), To(callee), "dialer", "v=0 offer");
        call.Provisional += (_, r) => Interlocked.Increment(ref rings);
        var answer = await call.Answered.WaitAsync(Wait);
        await Task.Delay(100);
        var bye = call.HangUp();

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal(RunningUas.AnswerBody, call.RemoteBody);
        Assert.True(rings >= 1);
        Assert.Equal(200, (await bye!.FinalResponse.WaitAsync(Wait)).StatusCode);
        Assert.Equal(SipCallEndReason.CallerHungUp, await calleeEnded.Task.WaitAsync(Wait));
        Assert.Equal(SipOutgoingCallEnd.WeHungUp, await call.Ended.WaitAsync(Wait));
    }

    [Fact]
    public async Task GivenAnsweredCall_WhenCalleeHangsUp_ThenOurCallEndsRemotely()
    {
        SipIncomingCall? incoming = null;
        var confirmed = new TaskCompletionSource();
        await using var callee = RunningUas.Start(onCall: call =>
        {
            incoming = call;
            call.Confirmed += _ => confirmed.TrySetResult();
            call.Answer(RunningUas.AnswerBody);
        });
        var (client, caller) = Caller();
        await using var _ = caller;

        var call = client.Call(Target(callee), To(callee), "dialer", null);
        await call.Answered.WaitAsync(Wait);
        await confirmed.Task.WaitAsync(Wait);
        var bye = incoming!.HangUp();

        Assert.Equal(200, (await bye!.FinalResponse.WaitAsync(Wait)).StatusCode);
        Assert.Equal(SipOutgoingCallEnd.RemoteHungUp, await call.Ended.WaitAsync(Wait));
        Assert.Equal(0, client.ActiveCalls);
    }

    [Fact]
    public async Task GivenBusyCallee_ThenWeSee486AndTheCalleeGetsItsAck()
    {
        SipIncomingCall? incoming = null;
        await using var callee = RunningUas.Start(onCall: call =>
        {
            incoming = call;
            call.Reject(SipStatus.BusyHere);
        });
        var (client, caller) = Caller();
        await using var _ = caller;

        var call = client.Call(Target(callee), To(callee), "dialer", "v=0 offer");
        var final = await call.Answered.WaitAsync(Wait);
        await Task.Delay(700);

        Assert.Equal(486, final.StatusCode);
        Assert.Equal(SipOutgoingCallEnd.Failed, await call.Ended.WaitAsync(Wait));
        // Our transaction sent the ACK and the callee's INVITE transaction took it (§17.2.1).
        Assert.Equal(Aicc.Telephony.Sip.Transactions.SipTransactionState.Completed, call.Invite.State);
        Assert.Equal(Aicc.Telephony.Sip.Transactions.SipTransactionState.Confirmed, incoming!.InviteState);
    }

    [Fact]
    public async Task GivenRingingCallee_WhenWeCancel_ThenInviteEnds487OnBothSides()
    {
        var calleeEnded = new TaskCompletionSource<SipCallEndReason>();
        await using var callee = RunningUas.Start(onCall: call =>
        {
            call.Ended += (_, reason) => calleeEnded.TrySetResult(reason);
            call.Ring();
        });
        var (client, caller) = Caller();
        await using var _ = caller;

        var call = client.Call(Target(callee), To(callee), "dialer", "v=0 offer");
        var ringing = new TaskCompletionSource();
        call.Provisional += (_, r) =>
        {
            if (r.StatusCode == 180)
            {
                ringing.TrySetResult();
            }
        };
        await ringing.Task.WaitAsync(Wait);
        call.Cancel();

        Assert.Equal(487, (await call.Answered.WaitAsync(Wait)).StatusCode);
        Assert.Equal(SipOutgoingCallEnd.Cancelled, await call.Ended.WaitAsync(Wait));
        Assert.Equal(SipCallEndReason.CallerCancelled, await calleeEnded.Task.WaitAsync(Wait));
    }
}
