using Aicc.Telephony.Audio;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sip.Authentication;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Tests.CallControl.Interop;

/// <summary>
/// A call through kamailio: one node of ours registers at kamailio as an agent would, another
/// uses kamailio as its outbound proxy to call that agent; kamailio record-routes, so the BYE
/// travels through it too.
/// </summary>
public sealed class KamailioCallControlTests : IAsyncLifetime
{
    private readonly MediaClock _clock = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("aicc-cc-kam-").FullName;
    private Kamailio _kamailio = null!;
    private CallControlNode _agent = null!;
    private CallControlNode _caller = null!;

    public async Task InitializeAsync()
    {
        _kamailio = await Kamailio.StartAsync();
        _agent = CallControlNode.Start(_clock, user: "alice");
        _caller = CallControlNode.Start(_clock);
    }

    public async Task DisposeAsync()
    {
        await _caller.DisposeAsync();
        await _agent.DisposeAsync();
        await _kamailio.DisposeAsync();
        _clock.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task GivenOurAgentRegisteredAtKamailio_WhenWeCallItThroughKamailio_ThenItAnswersAudioCrossesAndTheByeReachesTheCaller()
    {
        await using var registration = new SipOutboundRegistration(
            _agent.Uas, new SipRemote(SipTransportKind.Udp, _kamailio.EndPoint), SipUri.Create("alice", "127.0.0.1"), new SipCredentials("alice", "unused"), TimeSpan.FromSeconds(300));
        var state = await registration.StartAsync();
        Assert.True(state.Registered, $"REGISTER answered {state.Status}:\n{_kamailio.Output}");

        var leg = await _caller.Control.OriginateAsync(new OriginateRequest("alice", _kamailio.EndPoint, "861055501234", "Customer"));
        var incoming = await _agent.Next<CallEvent.Incoming>();
        Assert.Equal(("861055501234", "alice"), (incoming.Caller, incoming.Called));
        await _agent.Control.AnswerAsync(incoming.Leg);
        await _caller.Next<CallEvent.Answered>(match: a => a.Leg == leg);

        var heard = Path.Combine(_folder, "agent-heard.wav");
        var recording = await _agent.Control.RecordLegAsync(incoming.Leg, heard);
        var tone = Path.Combine(_folder, "tone.wav");
        WavFile.Write(tone, ToneGenerator.Generate(850, TimeSpan.FromSeconds(1.5)));
        Assert.True((await _caller.Control.PlayFileAsync(leg, tone)).Completed);
        await Task.Delay(200);
        await recording.StopAsync();

        await _agent.Control.HangUpAsync(incoming.Leg);
        var end = await _caller.Next<CallEvent.Hungup>();
        Assert.Equal((leg, CallCloseReason.Normal, CallEndedBy.Remote), (end.Leg, end.Reason, end.By));
        ToneAnalysis.AssertTone(heard, 850);
    }
}
