using Aicc.Domain.Calls;
using Aicc.Domain.Tenants;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Recording;
using Aicc.Handlers.Switchboard;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Codecs;
using Aicc.Testing;
using DomainCallEvent = Aicc.Domain.Calls.CallEvent;

namespace Aicc.Handlers.Tests.Switchboard;

/// <summary>
/// The distributor records a bridged call when the tenant's setting says so: a real customer
/// leg and a real baresip agent, the real event store, the WAV on disk.
/// </summary>
public sealed class CallRecordingTests(PostgresDatabase database, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string Password = "agent-secret-1";
    private SwitchboardFloor _floor = null!;

    public async Task InitializeAsync() => _floor = await SwitchboardFloor.StartAsync(database.DataSource);

    public async Task DisposeAsync() => await _floor.DisposeAsync();

    private RecordingsFolder Recordings => new(Path.Combine(_floor.Folder, "recordings"));

    [Fact]
    public async Task GivenTheTenantRecordsCalls_WhenACustomerTalksToAnAgentAndHangsUp_ThenTheWavHoldsBothPartiesAndTheCallNamesItsLocation()
    {
        var callId = await TalkAsync(recordCalls: true);

        await SwitchboardFloor.WaitUntilAsync(
            async () => (await _floor.CallEventsAsync(callId)).Any(e => e is DomainCallEvent.RecordingStopped), "the recording is stopped");
        var events = await _floor.CallEventsAsync(callId);
        var started = events.OfType<DomainCallEvent.RecordingStarted>().Single();
        var stopped = events.OfType<DomainCallEvent.RecordingStopped>().Single();
        Assert.Equal(started.RecordingId, stopped.RecordingId);
        Assert.True(events.ToList().IndexOf(started) > events.ToList().FindIndex(e => e is DomainCallEvent.ConnectedToAgent), "recording starts once the agent is connected");
        Assert.Equal(RecordingsFolder.LocationOf(_floor.TenantId, callId, started.RecordingId), stopped.Location);

        var wav = Recordings.PathOf(stopped.Location!)!;
        Assert.True(File.Exists(wav), $"{wav} was not written");
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(wav)!, "*.wav.*.wav"));
        var samples = WavFile.Read(wav).Samples;
        Assert.True(samples.Length >= FrameFormat.SampleRate, $"only {samples.Length} samples recorded");
        // Both parties are in the mix: the caller's tone and the agent's, each far above a frequency neither sent.
        var silence = Goertzel.Power(samples, 1700);
        var caller = Goertzel.Power(samples, SwitchboardFloor.CustomerTone);
        var agent = Goertzel.Power(samples, SwitchboardFloor.AgentTone);
        output.WriteLine($"recording {samples.Length / (double)FrameFormat.SampleRate:0.00} s; power at 600 Hz {caller:0}, 900 Hz {agent:0}, 1700 Hz {silence:0}");
        Assert.True(caller > 50 * silence, $"caller's tone {caller} vs {silence} at 1700 Hz");
        Assert.True(agent > 50 * silence, $"agent's tone {agent} vs {silence} at 1700 Hz");
    }

    [Fact]
    public async Task GivenTheTenantDoesNotRecordCalls_WhenACustomerTalksToAnAgent_ThenNothingIsRecorded()
    {
        var callId = await TalkAsync(recordCalls: false);

        await SwitchboardFloor.WaitUntilAsync(
            async () => (await _floor.CallEventsAsync(callId)).Any(e => e is DomainCallEvent.HungUp), "the call is hung up");
        Assert.DoesNotContain(await _floor.CallEventsAsync(callId), e => e is DomainCallEvent.RecordingStarted or DomainCallEvent.RecordingStopped);
        Assert.False(Directory.Exists(Recordings.Directory) && Directory.EnumerateFiles(Recordings.Directory, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task GivenARecordedCall_WhenTheAgentTransfersIt_ThenEachAgentsPartIsItsOwnRecording()
    {
        await CreateTenantAsync(recordCalls: true);
        var (aliceId, aliceUser) = await _floor.AgentAsync("alice", Password, ready: true, "sales");
        var (_, bobUser) = await _floor.AgentAsync("bob", Password, ready: true, "vip");
        var alicePhone = await _floor.PhoneAsync(aliceUser, Password);
        var bobPhone = await _floor.PhoneAsync(bobUser, Password);
        var queue = _floor.NewQueue(new AgentQueueOptions { AfterCallWork = _ => TimeSpan.Zero, Recordings = Recordings });
        var customer = await _floor.CustomerCallsAsync();
        Assert.Equal(QueueOutcome.Connected, await queue.ConnectToAgentAsync(_floor.Queued(customer, "sales"), TimeSpan.FromSeconds(20), CancellationToken.None));
        await alicePhone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));
        await Task.Delay(1000);

        Assert.True(await queue.HandleAsync(_floor.TenantId, customer.CallId, aliceId, new AgentCallRequest.Transfer(new TransferTarget.ToSkillGroup("vip"), "specialist"), CancellationToken.None));
        await bobPhone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(10));
        await Task.Delay(1000);
        await _floor.Customers.Control.HangUpAsync(customer.CustomerLeg);

        await SwitchboardFloor.WaitUntilAsync(
            async () => (await _floor.CallEventsAsync(customer.CallId)).OfType<DomainCallEvent.RecordingStopped>().Count() == 2, "both recordings are stopped");
        var events = await _floor.CallEventsAsync(customer.CallId);
        var stopped = events.OfType<DomainCallEvent.RecordingStopped>().ToList();
        Assert.Equal(2, events.OfType<DomainCallEvent.RecordingStarted>().Select(e => e.RecordingId).Distinct().Count());
        Assert.NotEqual(stopped[0].Location, stopped[1].Location);
        Assert.All(stopped, s => Assert.True(File.Exists(Recordings.PathOf(s.Location!)), $"{s.Location} was not written"));
        // The first part ends at the transfer, before the second agent is connected.
        Assert.True(events.ToList().IndexOf(stopped[0]) < events.ToList().FindLastIndex(e => e is DomainCallEvent.ConnectedToAgent));
    }

    private Task CreateTenantAsync(bool recordCalls) =>
        CommandRunner.RunAsync(
            _floor.Store, Deciders.Tenant, _floor.Tenant, Deciders.Tenant.StreamId(_floor.TenantId),
            new TenantCommand.Create(_floor.TenantId, "Recorded Co", TenantSettings.Default with { RecordCalls = recordCalls }, Guid.NewGuid(), DateTimeOffset.UtcNow));

    /// <summary>A customer playing its tone is put through to an auto-answering agent, they talk for a while, the customer hangs up.</summary>
    private async Task<Guid> TalkAsync(bool recordCalls)
    {
        await CreateTenantAsync(recordCalls);
        var (_, user) = await _floor.AgentAsync("rita", Password, ready: true, "sales");
        var phone = await _floor.PhoneAsync(user, Password);
        var queue = _floor.NewQueue(new AgentQueueOptions { AfterCallWork = _ => TimeSpan.Zero, Recordings = Recordings });
        var customer = await _floor.CustomerCallsAsync();

        Assert.Equal(QueueOutcome.Connected, await queue.ConnectToAgentAsync(_floor.Queued(customer, "sales"), TimeSpan.FromSeconds(20), CancellationToken.None));
        await phone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));
        await Task.Delay(2000);
        await _floor.Customers.Control.HangUpAsync(customer.CustomerLeg);
        await phone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
        return customer.CallId;
    }
}
