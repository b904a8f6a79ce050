using System.Net;
using System.Text;
using System.Threading.Channels;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transactions;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;

namespace Aicc.Telephony.Tests.Sip.UserAgents;

/// <summary>
/// The UAS core over the transaction layer, on a hand-moved clock: what goes on the wire is
/// read back from the layer's outbound channel.
/// </summary>
public sealed class SipUserAgentServerTests
{
    private static readonly SipRemote Caller = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5098));

    private readonly ManualTimeProvider _time = new();
    private readonly Channel<SipOutbound> _wire = Channel.CreateBounded<SipOutbound>(1000);
    private readonly SipTransactionLayer _layer;
    private readonly SipUserAgentServer _uas;
    private readonly List<SipIncomingCall> _calls = [];

    public SipUserAgentServerTests()
    {
        _layer = new SipTransactionLayer(_time, _wire.Writer);
        _uas = new SipUserAgentServer(_layer, _time, SipUasPolicy.Default, "<sip:aicc@127.0.0.1:5060>",
            kind => $"SIP/2.0/{kind.ToString().ToUpperInvariant()} 127.0.0.1:5060;branch={SipTransactionLayer.NewBranch()}",
            new SipRegistrar(_time));
        _uas.IncomingCall += _calls.Add;
    }

    private List<SipMessage> Wire()
    {
        var list = new List<SipMessage>();
        while (_wire.Reader.TryRead(out var outbound))
        {
            list.Add(SipMessageParser.Parse(outbound.Bytes).Message!);
        }

        return list;
    }

    private static SipRequest Parse(string text) => (SipRequest)SipMessageParser.Parse(Encoding.UTF8.GetBytes(text)).Message!;

    private static SipRequest Invite(string branch = "z9hG4bKinv1") => Parse(
        "INVITE sip:aicc@127.0.0.1 SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:5098;branch={branch}\r\n" +
        "Max-Forwards: 70\r\nFrom: \"Alice\" <sip:alice@127.0.0.1>;tag=a1\r\nTo: <sip:aicc@127.0.0.1>\r\n" +
        "Call-ID: call-42@127.0.0.1\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@127.0.0.1:5098>\r\n" +
        "Record-Route: <sip:proxy.example.com;lr>\r\n" +
        "Content-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n");

    private static SipRequest InDialog(string method, string toTag, int cseq, string branch) => Parse(
        $"{method} sip:aicc@127.0.0.1:5060 SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:5098;branch={branch}\r\n" +
        "Max-Forwards: 70\r\nFrom: \"Alice\" <sip:alice@127.0.0.1>;tag=a1\r\n" +
        $"To: <sip:aicc@127.0.0.1>;tag={toTag}\r\n" +
        $"Call-ID: call-42@127.0.0.1\r\nCSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n");

    [Fact]
    public void GivenInvite_WhenRungAndAnswered_ThenTrying180And200WithContactAndRecordRoute()
    {
        _layer.Receive(Invite(), Caller);
        var call = Assert.Single(_calls);

        call.Ring();
        call.Answer("v=0 answer");
        var wire = Wire().Cast<SipResponse>().ToList();

        Assert.Equal([100, 180, 200], wire.Select(r => r.StatusCode));
        var ok = wire[2];
        Assert.Equal(wire[1].To!.Tag, ok.To!.Tag);
        Assert.Equal("sip:aicc@127.0.0.1:5060", Assert.Single(ok.Contacts).Uri.Text);
        Assert.Single(ok.RecordRoutes);
        Assert.Equal("v=0 answer", Encoding.UTF8.GetString(ok.Body.Span));
        Assert.Equal("v=0\n", call.RemoteBody);
    }

    [Fact]
    public void GivenAnsweredCall_WhenAckNeverComes_Then2xxIsRetransmittedThenByeIsSent()
    {
        _layer.Receive(Invite(), Caller);
        var call = _calls[0];
        SipCallEndReason? ended = null;
        call.Ended += (_, reason) => ended = reason;
        call.Answer(null);
        Wire();

        for (var i = 0; i < 132; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
        }

        var wire = Wire();
        var retransmissions = wire.OfType<SipResponse>().Count(r => r.StatusCode == 200);
        // T1, 2T1, 4T1, then T2 steps until 64*T1: 0.5+1+2+4*7 = 31.5 s, then the last one at 32 s.
        Assert.InRange(retransmissions, 9, 11);
        var bye = Assert.IsType<SipRequest>(wire.Last(m => m is SipRequest));
        Assert.Equal("BYE", bye.Method);
        Assert.Equal(SipCallEndReason.AckTimedOut, ended);
    }

    [Fact]
    public void GivenAnsweredCall_WhenAckThenBye_ThenCallIsConfirmedThenEndsByCaller()
    {
        _layer.Receive(Invite(), Caller);
        var call = _calls[0];
        SipCallEndReason? ended = null;
        call.Ended += (_, reason) => ended = reason;
        call.Answer(null);
        var tag = Wire().OfType<SipResponse>().Last().To!.Tag!;

        _layer.Receive(InDialog("ACK", tag, 1, "z9hG4bKack1"), Caller);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(call.IsConfirmed);
        Assert.Empty(Wire());

        _layer.Receive(InDialog("BYE", tag, 2, "z9hG4bKbye1"), Caller);

        var byeResponse = Assert.IsType<SipResponse>(Assert.Single(Wire()));
        Assert.Equal(200, byeResponse.StatusCode);
        Assert.Equal("BYE", byeResponse.CSeq!.Method);
        Assert.Equal(SipCallEndReason.CallerHungUp, ended);
        Assert.Equal(0, _uas.ActiveCalls);
    }

    [Fact]
    public void GivenRingingCall_WhenCallerCancels_ThenCancelGets200AndInviteGets487()
    {
        _layer.Receive(Invite(), Caller);
        var call = _calls[0];
        SipCallEndReason? ended = null;
        call.Ended += (_, reason) => ended = reason;
        call.Ring();
        Wire();

        _layer.Receive(Parse(
            "CANCEL sip:aicc@127.0.0.1 SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:5098;branch=z9hG4bKinv1\r\n" +
            "Max-Forwards: 70\r\nFrom: \"Alice\" <sip:alice@127.0.0.1>;tag=a1\r\nTo: <sip:aicc@127.0.0.1>\r\n" +
            "Call-ID: call-42@127.0.0.1\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n"), Caller);

        var wire = Wire().Cast<SipResponse>().ToList();
        Assert.Contains(wire, r => r.StatusCode == 200 && r.CSeq!.Method == "CANCEL");
        Assert.Contains(wire, r => r.StatusCode == 487 && r.CSeq!.Method == "INVITE");
        Assert.Equal(SipCallEndReason.CallerCancelled, ended);
    }

    [Fact]
    public void GivenConfirmedCall_WhenWeHangUp_ThenByeCarriesTheRouteSetAndNextCSeq()
    {
        _layer.Receive(Invite(), Caller);
        var call = _calls[0];
        call.Answer(null);
        var tag = Wire().OfType<SipResponse>().Last().To!.Tag!;
        _layer.Receive(InDialog("ACK", tag, 1, "z9hG4bKack2"), Caller);

        var tx = call.HangUp();

        var bye = Assert.IsType<SipRequest>(Assert.Single(Wire()));
        Assert.NotNull(tx);
        Assert.Equal("sip:alice@127.0.0.1:5098", bye.RequestUri.Text);
        Assert.Equal(tag, bye.From!.Tag);
        Assert.Equal("a1", bye.To!.Tag);
        Assert.Equal(new SipCSeq(1, "BYE"), bye.CSeq);
        Assert.Equal("<sip:proxy.example.com;lr>", Assert.Single(bye.Routes).ToString());
    }

    [Fact]
    public void GivenByeForUnknownDialog_Then481()
    {
        _layer.Receive(InDialog("BYE", "nope", 2, "z9hG4bKbye9"), Caller);

        Assert.Equal(481, ((SipResponse)Assert.Single(Wire())).StatusCode);
    }

    [Fact]
    public void GivenInDialogInfo_ThenItIsAnsweredAndSurfaced()
    {
        _layer.Receive(Invite(), Caller);
        var call = _calls[0];
        var infos = new List<SipRequest>();
        call.InfoReceived += (_, r) => infos.Add(r);
        call.Answer(null);
        var tag = Wire().OfType<SipResponse>().Last().To!.Tag!;

        _layer.Receive(InDialog("INFO", tag, 2, "z9hG4bKinfo1"), Caller);

        Assert.Single(infos);
        Assert.Equal(200, ((SipResponse)Assert.Single(Wire())).StatusCode);
    }

    [Fact]
    public void GivenNoApplication_ThenInviteIsAnswered480()
    {
        var layer = new SipTransactionLayer(_time, _wire.Writer);
        _ = new SipUserAgentServer(layer, _time, SipUasPolicy.Default, "<sip:aicc@127.0.0.1>", _ => "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKx");

        layer.Receive(Invite(), Caller);

        Assert.Equal([100, 480], Wire().Cast<SipResponse>().Select(r => r.StatusCode));
    }

    [Fact]
    public void GivenRegisterThenExpiry_ThenBindingIsGone()
    {
        var register = Parse(
            "REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5098;branch=z9hG4bKreg1\r\n" +
            "Max-Forwards: 70\r\nFrom: <sip:agent7@example.com>;tag=r1\r\nTo: <sip:agent7@example.com>\r\n" +
            "Call-ID: reg-1@127.0.0.1\r\nCSeq: 1 REGISTER\r\nContact: <sip:agent7@127.0.0.1:5098>;expires=60\r\nContent-Length: 0\r\n\r\n");

        _layer.Receive(register, Caller);
        var ok = (SipResponse)Assert.Single(Wire());

        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("60", Assert.Single(ok.Contacts).Parameters.ValueOf("expires"));
        Assert.Single(_uas.Registrar!.Lookup("sip:agent7@example.com"));
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Empty(_uas.Registrar.Lookup("sip:agent7@example.com"));
    }
}
