using System.Net;
using System.Text;
using System.Threading.Channels;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transactions;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Tests.Sip.Transactions;

public sealed class SipTransactionLayerTests
{
    private static readonly SipRemote Udp = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5099));
    private static readonly SipRemote Tcp = new(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 5099), 7);

    private readonly ManualTimeProvider _time = new();
    private readonly Channel<SipOutbound> _wire = Channel.CreateBounded<SipOutbound>(1000);
    private readonly SipTransactionLayer _layer;
    private readonly List<SipServerTransaction> _received = [];

    public SipTransactionLayerTests()
    {
        _layer = new SipTransactionLayer(_time, _wire.Writer);
        _layer.RequestReceived += _received.Add;
    }

    private List<(TimeSpan At, SipMessage Message)> _sent = [];

    private List<SipMessage> Sent()
    {
        while (_wire.Reader.TryRead(out var outbound))
        {
            _sent.Add((_time.GetUtcNow() - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), SipMessageParser.Parse(outbound.Bytes).Message!));
        }

        return _sent.Select(s => s.Message).ToList();
    }

    /// <summary>Steps the clock in small increments so each send is stamped with when it happened.</summary>
    private void Run(TimeSpan total)
    {
        var step = TimeSpan.FromMilliseconds(250);
        Sent();
        for (var t = TimeSpan.Zero; t < total; t += step)
        {
            _time.Advance(step);
            Sent();
        }
    }

    private static SipRequest Request(string method, string branch = "z9hG4bKabc", string fromTag = "f1", string cseq = "1", string? viaHost = "192.0.2.1:5060")
    {
        var text =
            $"{method} sip:bob@example.com SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {viaHost}" + (branch.Length > 0 ? $";branch={branch}" : string.Empty) + "\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:alice@example.com>;tag={fromTag}\r\n" +
            "To: <sip:bob@example.com>\r\n" +
            "Call-ID: call-1@example.com\r\n" +
            $"CSeq: {cseq} {method}\r\n" +
            "Content-Length: 0\r\n\r\n";
        return (SipRequest)SipMessageParser.Parse(Encoding.UTF8.GetBytes(text)).Message!;
    }

    private static SipResponse Reply(SipRequest request, int status, string toTag = "t9") => SipResponse.For(request, status, toTag: toTag);

    [Fact]
    public async Task GivenInviteOverUdp_WhenNoAnswer_ThenTimerADoublesAndTimerBGives408()
    {
        var tx = _layer.SendRequest(Request("INVITE"), Udp);

        Run(TimeSpan.FromSeconds(33));

        Assert.Equal(
            new[] { 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 },
            _sent.Select(s => s.At.TotalSeconds));
        Assert.True(tx.FinalResponse.IsCompleted);
        Assert.Equal(408, (await tx.FinalResponse).StatusCode);
        Assert.Equal(0, _layer.ClientTransactionCount);
    }

    [Fact]
    public async Task GivenNonInviteOverUdp_WhenNoAnswer_ThenTimerECapsAtT2AndTimerFGives408()
    {
        var tx = _layer.SendRequest(Request("OPTIONS"), Udp);

        Run(TimeSpan.FromSeconds(33));

        Assert.Equal(
            new[] { 0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5 },
            _sent.Select(s => s.At.TotalSeconds));
        Assert.Equal(408, (await tx.FinalResponse).StatusCode);
    }

    [Fact]
    public async Task GivenInvite_WhenRingingThenBusy_ThenRetransmissionsStopAndTheTransactionAcks()
    {
        var invite = Request("INVITE");
        var tx = _layer.SendRequest(invite, Udp);
        var provisional = 0;
        tx.ProvisionalReceived += _ => provisional++;

        _layer.Receive(Reply(invite, 180), Udp);
        Run(TimeSpan.FromSeconds(5));
        _layer.Receive(Reply(invite, 486), Udp);
        _layer.Receive(Reply(invite, 486), Udp);

        var sent = Sent();
        Assert.Equal(1, provisional);
        Assert.Equal(["INVITE", "ACK", "ACK"], sent.Select(m => ((SipRequest)m).Method));
        var ack = (SipRequest)sent[1];
        Assert.Equal("t9", ack.To!.Tag);
        Assert.Equal("z9hG4bKabc", ack.TopVia!.Branch);
        Assert.Equal(new SipCSeq(1, "ACK"), ack.CSeq);
        Assert.Equal(486, (await tx.FinalResponse).StatusCode);
        Assert.Equal(SipTransactionState.Completed, tx.State);

        Run(TimeSpan.FromSeconds(33));
        Assert.Equal(SipTransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task GivenInvite_When2xxArrives_ThenTheTransactionEndsWithoutAck()
    {
        var invite = Request("INVITE");
        var tx = _layer.SendRequest(invite, Udp);
        var strays = new List<SipResponse>();
        _layer.StrayResponseReceived += (r, _) => strays.Add(r);

        _layer.Receive(Reply(invite, 200), Udp);
        _layer.Receive(Reply(invite, 200), Udp);

        Assert.Equal(200, (await tx.FinalResponse).StatusCode);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Single(Sent());
        Assert.Single(strays);
    }

    [Fact]
    public void GivenNonInviteOverTcp_ThenNoRetransmissionAndNoLingering()
    {
        var options = Request("OPTIONS");
        var tx = _layer.SendRequest(options, Tcp);

        Run(TimeSpan.FromSeconds(10));
        _layer.Receive(Reply(options, 200), Tcp);

        Assert.Single(Sent());
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Equal(0, _time.ActiveTimers);
    }

    [Fact]
    public void GivenIncomingInvite_ThenTryingAtOnceAndRetransmissionsAbsorbed()
    {
        var invite = Request("INVITE");

        _layer.Receive(invite, Udp);
        _layer.Receive(invite, Udp);

        var tx = Assert.Single(_received);
        Assert.Equal([100, 100], Sent().Select(m => ((SipResponse)m).StatusCode));
        Assert.Equal(SipTransactionState.Proceeding, tx.State);
    }

    [Fact]
    public void GivenServerInviteFailure_ThenTimerGRetransmitsUntilAckAndTimerIEnds()
    {
        var invite = Request("INVITE");
        _layer.Receive(invite, Udp);
        var tx = Assert.Single(_received);
        Sent();
        _sent.Clear();

        tx.Respond(Reply(invite, 486));
        Run(TimeSpan.FromSeconds(8));
        _layer.Receive(Request("ACK"), Udp);
        Run(TimeSpan.FromSeconds(4));

        Assert.Equal(new[] { 0, 0.5, 1.5, 3.5, 7.5 }, _sent.Select(s => s.At.TotalSeconds));
        Assert.Equal(SipTransactionState.Confirmed, tx.State);
        Run(TimeSpan.FromSeconds(2));
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Equal(0, _layer.ServerTransactionCount);
    }

    [Fact]
    public void GivenServerInviteFailure_WhenAckNeverComes_ThenTimerHReportsIt()
    {
        var invite = Request("INVITE");
        _layer.Receive(invite, Udp);
        var tx = Assert.Single(_received);
        var timedOut = false;
        tx.AckTimedOut += _ => timedOut = true;

        tx.Respond(Reply(invite, 503));
        Run(TimeSpan.FromSeconds(31));
        Assert.False(timedOut);
        Run(TimeSpan.FromSeconds(2));

        Assert.True(timedOut);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
    }

    [Fact]
    public void GivenServerNonInvite_ThenFinalIsResentForRetransmissionsUntilTimerJ()
    {
        var options = Request("OPTIONS");
        _layer.Receive(options, Udp);
        var tx = Assert.Single(_received);

        tx.Respond(Reply(options, 200));
        _layer.Receive(options, Udp);
        Run(TimeSpan.FromSeconds(33));
        _layer.Receive(options, Udp);

        Assert.Equal([200, 200], Sent().Select(m => ((SipResponse)m).StatusCode));
        Assert.Equal(2, _received.Count);
    }

    [Fact]
    public void GivenProceedingInvite_WhenCancelled_ThenCancelGets200AndTheTuIsTold()
    {
        var invite = Request("INVITE");
        _layer.Receive(invite, Udp);
        var tx = Assert.Single(_received);
        var cancelled = false;
        tx.Cancelled += _ => cancelled = true;

        _layer.Receive(Request("CANCEL"), Udp);

        Assert.True(cancelled);
        var cancelResponse = (SipResponse)Sent()[^1];
        Assert.Equal(200, cancelResponse.StatusCode);
        Assert.Equal("CANCEL", cancelResponse.CSeq!.Method);
    }

    [Fact]
    public void GivenNoMatchingInvite_WhenCancelArrives_Then481()
    {
        _layer.Receive(Request("CANCEL", branch: "z9hG4bKnothing"), Udp);

        Assert.Equal(481, ((SipResponse)Sent().Single()).StatusCode);
    }

    [Fact]
    public void GivenTheSameRequestByTwoPaths_ThenTheSecondIsAMergedRequestAndGets482()
    {
        _layer.Receive(Request("INVITE", branch: "z9hG4bKpath1"), Udp);
        _layer.Receive(Request("INVITE", branch: "z9hG4bKpath2"), Udp);

        Assert.Single(_received);
        Assert.Equal([100, 482], Sent().Select(m => ((SipResponse)m).StatusCode));
    }

    [Fact]
    public void GivenRfc2543RequestWithoutBranch_ThenRetransmissionsStillMatch()
    {
        var invite = Request("INVITE", branch: string.Empty);

        _layer.Receive(invite, Udp);
        _layer.Receive(invite, Udp);
        _received[0].Respond(Reply(invite, 486));
        _layer.Receive(Request("ACK", branch: string.Empty), Udp);

        Assert.Single(_received);
        Assert.Equal(SipTransactionState.Confirmed, _received[0].State);
    }

    [Fact]
    public void GivenClientInvite_ThenItsCancelCopiesBranchAndCSeqNumber()
    {
        var tx = _layer.SendRequest(Request("INVITE", cseq: "17"), Udp);

        var cancel = tx.BuildCancel();

        Assert.Equal("CANCEL", cancel.Method);
        Assert.Equal(new SipCSeq(17, "CANCEL"), cancel.CSeq);
        Assert.Equal("z9hG4bKabc", cancel.TopVia!.Branch);
        Assert.Equal("sip:bob@example.com", cancel.RequestUri.Text);
        Assert.Null(cancel.To!.Tag);
    }
}
