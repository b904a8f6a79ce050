using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Tests.Sip.Transport;
using FsCheck;
using FsCheck.Fluent;

namespace Aicc.Telephony.Tests.Sip.Fuzz;

public sealed class SipFuzzTests
{
    [Fact]
    public void GivenMutatedTortureMessages_WhenParsed_ThenNoExceptionAndValidOnesRoundTrip()
    {
        var property = Prop.ForAll(SipMutation.Generator.ToArbitrary(), mutation =>
        {
            var bytes = mutation.Apply();
            var datagram = SipMessageParser.Parse(bytes);
            var stream = SipMessageParser.Parse(bytes, SipFraming.Stream);
            var lint = SipLintReport.Of("fuzz", bytes);
            if (datagram.IsSuccess)
            {
                var again = SipMessageParser.Parse(datagram.Message!.ToBytes());
                return again.IsSuccess && again.Message!.Headers.Count == datagram.Message.Headers.Count && lint.Valid;
            }

            return datagram.Error is not null && !lint.Valid && stream.Consumed <= bytes.Length;
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000).WithQuietOnSuccess(true), property);
    }

    [Fact]
    public async Task GivenRunningListener_WhenFlooredWithMutations_ThenNoFaultAndItStillAnswersOptions()
    {
        await using var uas = RunningUas.Start();
        using var attacker = new UdpPeer();
        var mutations = SipMutation.Generator.Sample(3000);

        var sent = 0;
        foreach (var mutation in mutations)
        {
            await attacker.SendAsync(mutation.Apply(), uas.Udp);
            if (++sent % 200 == 0)
            {
                // Let the pump keep up rather than measure the kernel's buffer size.
                await Task.Delay(20);
            }
        }

        using var client = new UdpPeer();
        var options =
            "OPTIONS sip:aicc@127.0.0.1 SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {client.EndPoint};branch=z9hG4bKafterfuzz\r\n" +
            "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p1\r\nTo: <sip:aicc@127.0.0.1>\r\n" +
            "Call-ID: after-fuzz@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        SipParseResult? answer = null;
        for (var attempt = 0; attempt < 10 && answer is null; attempt++)
        {
            await client.SendAsync(options, uas.Udp);
            answer = await client.ReceiveFinalAsync(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(3000, mutations.Length);
        Assert.Equal(200, answer?.StatusCode);
        Assert.True(uas.Stack.Faults == 0, uas.Stack.LastFault?.ToString());
    }
}
