using Aicc.Telephony.Audio;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;

namespace Aicc.Telephony.Tests.CallControl;

/// <summary>
/// A supervisor's leg on a live bridge, over real loopback SIP and RTP: four call-control nodes
/// of ours (customer, agent and supervisor phones, and the switch that bridges and mixes), each
/// phone playing its own tone and recording what it hears.
/// </summary>
public sealed class MonitorLoopbackTests : IAsyncLifetime
{
    private const double CustomerHz = 500;
    private const double AgentHz = 1100;
    private const double SupervisorHz = 1900;

    private readonly MediaClock _clock = new(workers: 2);
    private readonly string _folder = Directory.CreateTempSubdirectory("aicc-monitor-").FullName;
    private CallControlNode _switch = null!;
    private CallControlNode _customer = null!;
    private CallControlNode _agent = null!;
    private CallControlNode _supervisor = null!;

    public Task InitializeAsync()
    {
        _switch = CallControlNode.Start(_clock);
        _customer = CallControlNode.Start(_clock);
        _agent = CallControlNode.Start(_clock);
        _supervisor = CallControlNode.Start(_clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _customer.DisposeAsync();
        await _agent.DisposeAsync();
        await _supervisor.DisposeAsync();
        await _switch.DisposeAsync();
        _clock.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed record Phones(CallLegId Customer, CallLegId Agent, CallLegId Supervisor, CallLegId SwitchCustomer, CallLegId SwitchAgent, CallLegId SwitchSupervisor);

    private async Task<Phones> ConnectAsync()
    {
        var customer = await _customer.Control.OriginateAsync(new OriginateRequest("100", _switch.Sip, "13800138000"));
        var inbound = await _switch.Next<CallEvent.Incoming>();
        await _switch.Control.AnswerAsync(inbound.Leg);
        await _customer.Next<CallEvent.Answered>(match: a => a.Leg == customer);

        var (switchAgent, agent) = await CallOutAsync(_agent, "agent");
        await _switch.Control.BridgeAsync(inbound.Leg, switchAgent);
        var (switchSupervisor, supervisor) = await CallOutAsync(_supervisor, "supervisor");
        return new Phones(customer, agent, supervisor, inbound.Leg, switchAgent, switchSupervisor);
    }

    private async Task<(CallLegId AtSwitch, CallLegId AtPhone)> CallOutAsync(CallControlNode phone, string user)
    {
        var onward = await _switch.Control.OriginateAsync(new OriginateRequest(user, phone.Sip, "100"));
        var incoming = await phone.Next<CallEvent.Incoming>();
        await phone.Control.AnswerAsync(incoming.Leg);
        await _switch.Next<CallEvent.Answered>(match: a => a.Leg == onward);
        return (onward, incoming.Leg);
    }

    /// <summary>Every phone plays its tone at once and records what it hears; returns the three recordings.</summary>
    private async Task<(string Customer, string Agent, string Supervisor)> TalkAsync(Phones phones, string name)
    {
        var recordings = new[]
        {
            await _customer.Control.RecordLegAsync(phones.Customer, Path.Combine(_folder, $"{name}-customer.wav")),
            await _agent.Control.RecordLegAsync(phones.Agent, Path.Combine(_folder, $"{name}-agent.wav")),
            await _supervisor.Control.RecordLegAsync(phones.Supervisor, Path.Combine(_folder, $"{name}-supervisor.wav")),
        };
        var tones = new[] { (CustomerHz, _customer, phones.Customer), (AgentHz, _agent, phones.Agent), (SupervisorHz, _supervisor, phones.Supervisor) };
        await Task.WhenAll(tones.Select(t =>
        {
            var path = Path.Combine(_folder, $"{name}-{t.Item1}.wav");
            WavFile.Write(path, ToneGenerator.Generate(t.Item1, TimeSpan.FromSeconds(1.5)));
            return t.Item2.Control.PlayFileAsync(t.Item3, path);
        }));
        await Task.Delay(300);
        foreach (var recording in recordings)
        {
            await recording.StopAsync();
        }

        return (recordings[0].Path, recordings[1].Path, recordings[2].Path);
    }

    [Theory]
    [InlineData(MonitorMode.Listen)]
    [InlineData(MonitorMode.Whisper)]
    [InlineData(MonitorMode.Barge)]
    public async Task GivenASupervisorOnABridge_ThenWhoHearsTheSupervisorFollowsTheMode(MonitorMode mode)
    {
        var phones = await ConnectAsync();
        await _switch.Control.MonitorAsync(phones.SwitchAgent, phones.SwitchSupervisor, mode);

        var heard = await TalkAsync(phones, mode.ToString());
        var (customer, agent, supervisor) = (Voiced(heard.Customer), Voiced(heard.Agent), Voiced(heard.Supervisor));

        AssertHears(supervisor, CustomerHz, "supervisor", "customer");
        AssertHears(supervisor, AgentHz, "supervisor", "agent");
        AssertHears(customer, AgentHz, "customer", "agent");
        AssertHears(agent, CustomerHz, "agent", "customer");
        if (mode == MonitorMode.Barge)
        {
            AssertHears(customer, SupervisorHz, "customer", "supervisor");
        }
        else
        {
            AssertDoesNotHear(customer, SupervisorHz, AgentHz, "customer", "supervisor");
        }

        if (mode == MonitorMode.Listen)
        {
            AssertDoesNotHear(agent, SupervisorHz, CustomerHz, "agent", "supervisor");
        }
        else
        {
            AssertHears(agent, SupervisorHz, "agent", "supervisor");
        }
    }

    [Fact]
    public async Task GivenTheSupervisorLeaves_ThenTheBridgeCarriesOnAsBeforeAndTheSupervisorHearsNothing()
    {
        var phones = await ConnectAsync();
        await _switch.Control.MonitorAsync(phones.SwitchAgent, phones.SwitchSupervisor, MonitorMode.Barge);
        await Task.Delay(200);

        await _switch.Control.StopMonitorAsync(phones.SwitchSupervisor);
        var paths = await TalkAsync(phones, "left");
        var (customer, agent) = (Voiced(paths.Customer), Voiced(paths.Agent));

        AssertHears(customer, AgentHz, "customer", "agent");
        AssertDoesNotHear(customer, SupervisorHz, AgentHz, "customer", "supervisor");
        AssertHears(agent, CustomerHz, "agent", "customer");
        AssertDoesNotHear(agent, SupervisorHz, CustomerHz, "agent", "supervisor");
        var heard = WavFile.Read(paths.Supervisor).Samples;
        Assert.True(heard.All(s => Math.Abs((int)s) < 1000), "the supervisor still hears the call after leaving");
    }

    [Fact]
    public async Task GivenTheSupervisorHangsUp_ThenTheBridgeCarriesOn()
    {
        var phones = await ConnectAsync();
        await _switch.Control.MonitorAsync(phones.SwitchAgent, phones.SwitchSupervisor, MonitorMode.Listen);
        await _supervisor.Control.HangUpAsync(phones.Supervisor);
        await _switch.Next<CallEvent.Hungup>(match: h => h.Leg == phones.SwitchSupervisor);

        var recordings = new[]
        {
            await _customer.Control.RecordLegAsync(phones.Customer, Path.Combine(_folder, "gone-customer.wav")),
            await _agent.Control.RecordLegAsync(phones.Agent, Path.Combine(_folder, "gone-agent.wav")),
        };
        var low = Path.Combine(_folder, "gone-low.wav");
        var high = Path.Combine(_folder, "gone-high.wav");
        WavFile.Write(low, ToneGenerator.Generate(CustomerHz, TimeSpan.FromSeconds(1.5)));
        WavFile.Write(high, ToneGenerator.Generate(AgentHz, TimeSpan.FromSeconds(1.5)));
        await Task.WhenAll(_customer.Control.PlayFileAsync(phones.Customer, low), _agent.Control.PlayFileAsync(phones.Agent, high));
        await Task.Delay(300);
        await recordings[0].StopAsync();
        await recordings[1].StopAsync();

        ToneAnalysis.AssertTone(recordings[0].Path, AgentHz);
        ToneAnalysis.AssertTone(recordings[1].Path, CustomerHz);
    }

    [Fact]
    public async Task GivenAnUnbridgedLeg_ThenMonitoringItIsRefused()
    {
        var customer = await _customer.Control.OriginateAsync(new OriginateRequest("100", _switch.Sip, "13800138000"));
        var inbound = await _switch.Next<CallEvent.Incoming>();
        await _switch.Control.AnswerAsync(inbound.Leg);
        await _customer.Next<CallEvent.Answered>(match: a => a.Leg == customer);
        var (supervisor, _) = await CallOutAsync(_supervisor, "supervisor");

        await Assert.ThrowsAsync<InvalidOperationException>(() => _switch.Control.MonitorAsync(inbound.Leg, supervisor, MonitorMode.Listen));
    }

    private static void AssertHears(short[] heard, double hz, string who, string whom)
    {
        var power = Goertzel.Power(heard, hz);
        var floor = Goertzel.Power(heard, 3100);
        Assert.True(power > 30 * floor && power > 100_000, $"the {who} does not hear the {whom} ({hz} Hz: {power:0}, floor {floor:0})");
    }

    /// <summary>The tone at <paramref name="hz"/> is at least 25 dB below what the party does hear at <paramref name="reference"/>.</summary>
    private static void AssertDoesNotHear(short[] heard, double hz, double reference, string who, string whom)
    {
        var power = Goertzel.Power(heard, hz);
        var expected = Goertzel.Power(heard, reference);
        Assert.True(power * 300 < expected, $"the {who} hears the {whom} ({hz} Hz: {power:0} against {expected:0} at {reference} Hz)");
    }

    private static short[] Voiced(string path)
    {
        // The frames that carry sound (a starved machine may stall a thread for a frame or two).
        var voiced = WavFile.Read(path).Samples.Chunk(160)
            .Where(frame => Math.Sqrt(frame.Average(s => (double)s * s)) > 500)
            .SelectMany(frame => frame)
            .ToArray();
        Assert.True(voiced.Length >= 4000, $"{path} holds only {voiced.Length} voiced samples");
        return voiced.AsSpan(0, Math.Min(voiced.Length, 8000)).ToArray();
    }
}
