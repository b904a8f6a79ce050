using System.Diagnostics;
using Aicc.Domain.Calls;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Switchboard;
using Aicc.Telephony.Audio;
using Aicc.Testing;
using DomainCallEvent = Aicc.Domain.Calls.CallEvent;

namespace Aicc.Handlers.Tests.Switchboard;

/// <summary>
/// A supervisor listening in on a live call, end to end: the customer on a SIP node of ours, the
/// agent and the supervisor on real baresip desk phones registered with the platform's registrar
/// (Digest against their seats), each sending a tone of its own frequency. What the supervisor's
/// phone decoded and what the customer heard tell whether the routing is right.
/// </summary>
public sealed class CallMonitorTests(PostgresDatabase database, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string Password = "agent-secret-1";
    private const double SupervisorTone = 1400;
    private SwitchboardFloor _floor = null!;

    public async Task InitializeAsync() => _floor = await SwitchboardFloor.StartAsync(database.DataSource);

    public async Task DisposeAsync() => await _floor.DisposeAsync();

    [Fact]
    public async Task GivenACallWithAnAgent_WhenASupervisorListensIn_ThenTheSupervisorHearsBothPartiesTheCustomerDoesNotHearTheSupervisorAndTheMonitorEndsWithTheCall()
    {
        var (_, agentUser) = await _floor.AgentAsync("alice", Password, ready: true, "sales");
        var agentPhone = await _floor.PhoneAsync(agentUser, Password);
        var (supervisorSeat, supervisorUser) = await _floor.AgentAsync("sam", Password, ready: false, "supervisors");
        var supervisorPhone = await _floor.PhoneAsync(supervisorUser, Password, autoAnswer: false, tone: SupervisorTone);
        var queue = _floor.NewQueue(new AgentQueueOptions { AfterCallWork = _ => TimeSpan.Zero });
        var customer = await _floor.CustomerCallsAsync();
        Assert.Equal(QueueOutcome.Connected, await queue.ConnectToAgentAsync(_floor.Queued(customer, "sales"), TimeSpan.FromSeconds(20), CancellationToken.None));
        await agentPhone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));
        var supervisorId = Guid.NewGuid();
        var phone = new AgentSeat(_floor.TenantId, supervisorSeat, "Sam Supervisor", supervisorUser);

        var asked = Stopwatch.StartNew();
        var outcome = await queue.MonitorAsync(_floor.TenantId, customer.CallId, supervisorId, phone, MonitorMode.Listen, CancellationToken.None);
        await supervisorPhone.NextEventAsync("CALL_INCOMING", TimeSpan.FromSeconds(5));
        output.WriteLine($"monitor asked to the supervisor's phone ringing: {asked.ElapsedMilliseconds} ms");
        Assert.Equal(MonitorOutcome.Ringing, outcome);
        Assert.DoesNotContain(await _floor.CallEventsAsync(customer.CallId), e => e is DomainCallEvent.MonitorStarted);
        await supervisorPhone.CommandAsync("accept");
        await SwitchboardFloor.WaitUntilAsync(async () => (await _floor.CallEventsAsync(customer.CallId)).Any(e => e is DomainCallEvent.MonitorStarted), "the supervisor joins");
        output.WriteLine($"monitor asked to joined (ringing, then answered by the test): {asked.ElapsedMilliseconds} ms");
        Assert.Equal(MonitorOutcome.MonitoredByAnother, await queue.MonitorAsync(_floor.TenantId, customer.CallId, Guid.NewGuid(), phone, MonitorMode.Barge, CancellationToken.None));

        var heardByCustomer = Path.Combine(_floor.Folder, "customer-heard.wav");
        var recording = await _floor.Customers.Control.RecordLegAsync(customer.CustomerLeg, heardByCustomer);
        await Task.Delay(2500);
        await recording.StopAsync();

        await _floor.Customers.Control.HangUpAsync(customer.CustomerLeg);
        await supervisorPhone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
        await agentPhone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
        await SwitchboardFloor.WaitUntilAsync(async () => (await _floor.CallEventsAsync(customer.CallId)).Any(e => e is DomainCallEvent.MonitorEnded), "the monitor ends with the call");

        var events = await _floor.CallEventsAsync(customer.CallId);
        var started = events.OfType<DomainCallEvent.MonitorStarted>().Single();
        Assert.Equal((supervisorId, MonitorMode.Listen), (started.SupervisorId, started.Mode));
        var ended = events.OfType<DomainCallEvent.MonitorEnded>().Single();
        Assert.Equal((supervisorId, "call ended"), (ended.SupervisorId, ended.Reason));
        Assert.True(events.ToList().IndexOf(started) < events.ToList().FindIndex(e => e is DomainCallEvent.HungUp));

        var supervisorHeard = Voiced(supervisorPhone.DecodedRecording() ?? throw new InvalidOperationException("baresip recorded nothing"));
        AssertHears(supervisorHeard, SwitchboardFloor.CustomerTone, "supervisor", "customer");
        AssertHears(supervisorHeard, SwitchboardFloor.AgentTone, "supervisor", "agent");
        var customerHeard = Voiced(heardByCustomer);
        AssertHears(customerHeard, SwitchboardFloor.AgentTone, "customer", "agent");
        var leaked = Goertzel.Power(customerHeard, SupervisorTone);
        var agent = Goertzel.Power(customerHeard, SwitchboardFloor.AgentTone);
        Assert.True(leaked * 300 < agent, $"the customer hears the supervisor ({leaked:0} at {SupervisorTone} Hz against {agent:0} for the agent)");
        Assert.Equal(0, _floor.Platform.Control.ActiveLegs);
    }

    [Fact]
    public async Task GivenASupervisorBargedIn_WhenTheyLeave_ThenTheCustomerStopsHearingThemAndTheCallCarriesOn()
    {
        var (_, agentUser) = await _floor.AgentAsync("alice", Password, ready: true, "sales");
        var agentPhone = await _floor.PhoneAsync(agentUser, Password);
        var (supervisorSeat, supervisorUser) = await _floor.AgentAsync("sam", Password, ready: false, "supervisors");
        var supervisorPhone = await _floor.PhoneAsync(supervisorUser, Password, tone: SupervisorTone);
        var queue = _floor.NewQueue(new AgentQueueOptions { AfterCallWork = _ => TimeSpan.Zero });
        var customer = await _floor.CustomerCallsAsync();
        Assert.Equal(QueueOutcome.Connected, await queue.ConnectToAgentAsync(_floor.Queued(customer, "sales"), TimeSpan.FromSeconds(20), CancellationToken.None));
        await agentPhone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));
        var supervisorId = Guid.NewGuid();
        var phone = new AgentSeat(_floor.TenantId, supervisorSeat, "Sam Supervisor", supervisorUser);
        Assert.Equal(MonitorOutcome.Ringing, await queue.MonitorAsync(_floor.TenantId, customer.CallId, supervisorId, phone, MonitorMode.Whisper, CancellationToken.None));
        await SwitchboardFloor.WaitUntilAsync(async () => (await _floor.CallEventsAsync(customer.CallId)).Any(e => e is DomainCallEvent.MonitorStarted), "the supervisor joins");

        Assert.Equal(MonitorOutcome.Joined, await queue.ChangeModeAsync(_floor.TenantId, customer.CallId, supervisorId, MonitorMode.Barge, CancellationToken.None));
        var barged = Path.Combine(_floor.Folder, "customer-barged.wav");
        var recording = await _floor.Customers.Control.RecordLegAsync(customer.CustomerLeg, barged);
        await Task.Delay(2500);
        await recording.StopAsync();
        Assert.Equal(MonitorOutcome.Left, await queue.LeaveAsync(_floor.TenantId, customer.CallId, supervisorId, CancellationToken.None));
        await supervisorPhone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
        // What was mixed before the leave may still be on its way (outbound queue, the customer's jitter buffer).
        await Task.Delay(600);
        var after = Path.Combine(_floor.Folder, "customer-after.wav");
        recording = await _floor.Customers.Control.RecordLegAsync(customer.CustomerLeg, after);
        await Task.Delay(2500);
        await recording.StopAsync();

        AssertHears(Voiced(barged), SupervisorTone, "customer", "barged-in supervisor");
        var afterHeard = Voiced(after);
        AssertHears(afterHeard, SwitchboardFloor.AgentTone, "customer", "agent");
        Assert.True(Goertzel.Power(afterHeard, SupervisorTone) * 300 < Goertzel.Power(afterHeard, SwitchboardFloor.AgentTone), "the customer still hears the supervisor who left");
        var events = await _floor.CallEventsAsync(customer.CallId);
        Assert.Equal(
            [typeof(DomainCallEvent.MonitorStarted), typeof(DomainCallEvent.MonitorModeChanged), typeof(DomainCallEvent.MonitorEnded)],
            events.Where(e => e.GetType().Name.StartsWith("Monitor", StringComparison.Ordinal)).Select(e => e.GetType()).ToArray());
        Assert.Equal("left", events.OfType<DomainCallEvent.MonitorEnded>().Single().Reason);
        Assert.DoesNotContain(events, e => e is DomainCallEvent.HungUp);
        await _floor.Customers.Control.HangUpAsync(customer.CustomerLeg);
        await agentPhone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task GivenABargedInSupervisor_WhenTheAgentHoldsAndResumes_ThenTheSupervisorIsOnTheResumedCallAgain()
    {
        var (agentId, agentUser) = await _floor.AgentAsync("alice", Password, ready: true, "sales");
        var agentPhone = await _floor.PhoneAsync(agentUser, Password);
        var (supervisorSeat, supervisorUser) = await _floor.AgentAsync("sam", Password, ready: false, "supervisors");
        await _floor.PhoneAsync(supervisorUser, Password, tone: SupervisorTone);
        var queue = _floor.NewQueue(new AgentQueueOptions { AfterCallWork = _ => TimeSpan.Zero });
        var customer = await _floor.CustomerCallsAsync();
        Assert.Equal(QueueOutcome.Connected, await queue.ConnectToAgentAsync(_floor.Queued(customer, "sales"), TimeSpan.FromSeconds(20), CancellationToken.None));
        await agentPhone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));
        var supervisorId = Guid.NewGuid();
        var phone = new AgentSeat(_floor.TenantId, supervisorSeat, "Sam Supervisor", supervisorUser);
        Assert.Equal(MonitorOutcome.Ringing, await queue.MonitorAsync(_floor.TenantId, customer.CallId, supervisorId, phone, MonitorMode.Barge, CancellationToken.None));
        await SwitchboardFloor.WaitUntilAsync(async () => (await _floor.CallEventsAsync(customer.CallId)).Any(e => e is DomainCallEvent.MonitorStarted), "the supervisor joins");

        Assert.True(await queue.HandleAsync(_floor.TenantId, customer.CallId, agentId, new AgentCallRequest.Hold(), CancellationToken.None));
        await Task.Delay(300);
        Assert.True(await queue.HandleAsync(_floor.TenantId, customer.CallId, agentId, new AgentCallRequest.Resume(), CancellationToken.None));
        await Task.Delay(600);
        var resumed = Path.Combine(_floor.Folder, "customer-resumed.wav");
        var recording = await _floor.Customers.Control.RecordLegAsync(customer.CustomerLeg, resumed);
        await Task.Delay(2500);
        await recording.StopAsync();

        var heard = Voiced(resumed);
        AssertHears(heard, SwitchboardFloor.AgentTone, "customer", "agent");
        AssertHears(heard, SupervisorTone, "customer", "barged-in supervisor after the hold");
        Assert.DoesNotContain(await _floor.CallEventsAsync(customer.CallId), e => e is DomainCallEvent.MonitorEnded);
        await _floor.Customers.Control.HangUpAsync(customer.CustomerLeg);
        await SwitchboardFloor.WaitUntilAsync(async () => (await _floor.CallEventsAsync(customer.CallId)).Any(e => e is DomainCallEvent.MonitorEnded), "the monitor ends with the call");
    }

    private static void AssertHears(short[] heard, double hz, string who, string whom)
    {
        var power = Goertzel.Power(heard, hz);
        var floor = Goertzel.Power(heard, 3100);
        Assert.True(power > 30 * floor && power > 100_000, $"the {who} does not hear the {whom} ({hz} Hz: {power:0}, floor {floor:0})");
    }

    /// <summary>
    /// The 20 ms frames that carry sound. This shared machine runs at a load average of 20-30, so
    /// phones' audio has gaps; 0.2 s of voiced audio is enough for the frequency checks, which
    /// compare powers rather than count frames.
    /// </summary>
    private static short[] Voiced(string path)
    {
        var voiced = WavFile.Read(path).Samples.Chunk(160)
            .Where(frame => Math.Sqrt(frame.Average(s => (double)s * s)) > 500)
            .SelectMany(frame => frame)
            .ToArray();
        Assert.True(voiced.Length >= 1600, $"{path} holds only {voiced.Length} voiced samples");
        return voiced.AsSpan(0, Math.Min(voiced.Length, 8000)).ToArray();
    }
}
