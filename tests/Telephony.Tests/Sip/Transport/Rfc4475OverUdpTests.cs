using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Tests.Sip.Rfc4475;

namespace Aicc.Telephony.Tests.Sip.Transport;

public sealed class Rfc4475OverUdpTests
{
    [Fact]
    public async Task GivenRunningListener_WhenEachTortureMessageArrives_ThenItGetsTheResponseTheRfcNames()
    {
        await using var uas = RunningUas.Start();
        var peers = Rfc4475Case.All.ToDictionary(c => c.Name, _ => new UdpPeer());
        try
        {
            foreach (var c in Rfc4475Case.All)
            {
                await peers[c.Name].SendAsync(c.Bytes(), uas.Udp);
            }

            var outcomes = await Task.WhenAll(Rfc4475Case.All.Select(async c =>
            {
                // A message that must be dropped gets a shorter wait: silence is the answer.
                var result = await peers[c.Name].ReceiveFinalAsync(TimeSpan.FromSeconds(c.ServerResponse is null ? 1 : 5));
                return (c.Name, Expected: c.ServerResponse, Actual: result?.StatusCode);
            }));

            Assert.All(outcomes, o => Assert.True(o.Expected == o.Actual, $"{o.Name}: expected {o.Expected?.ToString() ?? "no response"}, got {o.Actual?.ToString() ?? "no response"}"));
            Assert.Equal(0, uas.Stack.Faults);
        }
        finally
        {
            foreach (var p in peers.Values)
            {
                p.Dispose();
            }
        }
    }

    [Fact]
    public async Task Dblreq_OnlyTheRegisterIsAnswered()
    {
        await using var uas = RunningUas.Start();
        using var peer = new UdpPeer();

        await peer.SendAsync(Rfc4475Case.Get("dblreq").Bytes(), uas.Udp);
        var first = await peer.ReceiveFinalAsync(TimeSpan.FromSeconds(5));
        var second = await peer.ReceiveAsync(TimeSpan.FromMilliseconds(500));

        Assert.Equal("REGISTER", first!.Message!.CSeq!.Method);
        Assert.Null(second);
    }

    [Fact]
    public async Task Bext01_420ListsTheUnsupportedExtensions()
    {
        await using var uas = RunningUas.Start();
        using var peer = new UdpPeer();

        await peer.SendAsync(Rfc4475Case.Get("bext01").Bytes(), uas.Udp);
        var response = (await peer.ReceiveFinalAsync(TimeSpan.FromSeconds(5)))!.Message!;

        Assert.Equal(["nothingSupportsThis", "nothingSupportsThisEither"], response.GetTokenList(SipHeaderNames.Unsupported));
    }

    [Fact]
    public async Task Cparam_RegistrarKeepsContactAndUriParametersApart()
    {
        await using var uas = RunningUas.Start();
        using var peer = new UdpPeer();

        await peer.SendAsync(Rfc4475Case.Get("cparam01").Bytes(), uas.Udp);
        var first = (await peer.ReceiveFinalAsync(TimeSpan.FromSeconds(5)))!.Message!;
        await peer.SendAsync(Rfc4475Case.Get("cparam02").Bytes(), uas.Udp);
        var second = (await peer.ReceiveFinalAsync(TimeSpan.FromSeconds(5)))!.Message!;

        var outside = Assert.Single(first.Contacts);
        Assert.True(outside.Parameters.Has("unknownparam"));
        Assert.Equal("3600", outside.Parameters.ValueOf("expires"));
        // Two different bindings now: the URI with the parameter is another contact.
        Assert.Equal(2, second.Contacts.Count);
        Assert.Contains(second.Contacts, c => ((Aicc.Telephony.Sip.Messages.SipUri)c.Uri).Parameters.Has("unknownparam"));
    }

    [Fact]
    public async Task MalformedRequest_400EchoesTheViaAndSaysWhy()
    {
        await using var uas = RunningUas.Start();
        using var peer = new UdpPeer();

        await peer.SendAsync(Rfc4475Case.Get("mismatch01").Bytes(), uas.Udp);
        var response = (SipResponse)(await peer.ReceiveFinalAsync(TimeSpan.FromSeconds(5)))!.Message!;

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("CSeqMethodMismatch", response.ReasonPhrase);
        Assert.Equal("z9hG4bKkdjuw", response.TopVia!.Branch);
        Assert.Equal("mismatch01.dj0234sxdfl3", response.CallId);
    }
}
