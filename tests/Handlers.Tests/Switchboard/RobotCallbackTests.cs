using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Aicc.Domain.Calls;
using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Aicc.EventStore.Schema;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Dialing;
using Aicc.Handlers.EventTypes;
using Aicc.Handlers.Messaging.Scheduling;
using Aicc.Handlers.RobotPipeline;
using Aicc.Handlers.Security;
using Aicc.Handlers.Switchboard;
using Aicc.Handlers.Tenants.SeedingDemo;
using Aicc.Telephony.CallControl;
using CallEvent = Aicc.Domain.Calls.CallEvent;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;
using Aicc.Telephony.Speech;
using Aicc.Testing;

namespace Aicc.Handlers.Tests.Switchboard;

/// <summary>
/// A robot's call back, end to end: the durable <c>robot.callback.v1</c> message a robot left is
/// run by a real scheduler worker, which calls the customer (sipp behind a trunk that challenges
/// INVITEs with digest) from the robot's line and number, and the robot holds the answered call.
/// </summary>
public sealed class RobotCallbackTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly PhoneNumber RobotNumber = PhoneNumber.Parse("+4420700000999");
    private readonly string _sippWork = Directory.CreateTempSubdirectory("aicc-callback-sipp-").FullName;
    private readonly List<IAsyncDisposable> _nodes = [];
    private PostgresEventStore _store = null!;
    private MediaClock _clock = null!;
    private Process? _sipp;

    public async Task InitializeAsync()
    {
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(PostgresEventStore).Assembly);
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(TaskDialer).Assembly);
        _store = new PostgresEventStore(database.DataSource, DomainEventTypes.CreateRegistry());
        _clock = new MediaClock();
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        if (_sipp is { HasExited: false })
        {
            _sipp.Kill(entireProcessTree: true);
            await _sipp.WaitForExitAsync();
        }

        _sipp?.Dispose();
        _clock.Dispose();
        Directory.Delete(_sippWork, recursive: true);
    }

    [Fact]
    public async Task GivenACallbackTheRobotPromised_WhenItIsDue_ThenTheRobotCallsTheCustomerFromItsLineAndNumberAndHoldsTheCall()
    {
        var tenantId = Guid.NewGuid();
        var tenant = Deciders.TenantKey(tenantId);
        var robotId = Guid.NewGuid();
        var lineId = Guid.NewGuid();
        var promisedOn = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var trunk = await StartCustomerAsync();
        var secrets = new LineSecrets(new SecretBox([RandomNumberGenerator.GetBytes(32)]), _store);
        await CommandRunner.RunAsync(_store, Deciders.Line, tenant, Deciders.Line.StreamId(lineId),
            new LineCommand.Create(lineId, tenantId, "carrier", new LineConfig($"127.0.0.1:{trunk.Port}", LineTransport.Udp,
                secrets.Protect(tenantId, lineId, "trunk-user", "trunk-secret"), new CallerIdRules(CallerIdMode.Fixed, PhoneNumber.Parse("+4420700000001"), null), 5), now));
        await CommandRunner.RunAllAsync(_store, Deciders.Robot, tenant, Deciders.Robot.StreamId(robotId),
        [
            new RobotCommand.Create(robotId, tenantId, "demo", new ScriptVersion(SeedDemo.DemoScriptId, 1), "slt", 1, now),
            new RobotCommand.AssignInboundNumber(robotId, RobotNumber.E164, lineId, null, now),
        ]);
        var customer = "+4420799900042";
        await MessageScheduler.ScheduleAsync(database.DataSource, new ScheduledMessageRequest(tenant, RobotSessions.CallbackMessageType,
            JsonSerializer.Serialize(new RobotCallback(tenantId, promisedOn, robotId, null, customer)), now, $"robot-callback-{promisedOn}"));

        var hub = NewHub();
        using var asr = new PocketSphinxRecognizer(new PocketSphinxOptions { MaxDecoders = 1 });
        var robots = new RobotSessions(hub, _store, new ShippedRobotScripts(), new RobotEngines(new PromptCache(new FliteSynthesizer()), asr), new RobotSessionOptions());
        var callbacks = new RobotCallbacks(hub, _store, robots, new RobotSeats(), secrets: secrets);
        var worker = new ScheduledMessageWorker(database.DataSource, new ScheduledMessageHandlers().AddRobotCallback(callbacks),
            new ScheduledMessageWorkerOptions { PollInterval = TimeSpan.FromMilliseconds(100) });
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        var stream = Deciders.Call.StreamId(RobotCallbacks.CallbackCallId(promisedOn));
        try
        {
            await WaitUntilAsync(async () => (await _store.ReadStreamAsync(tenant, stream)) is { Count: > 0 } events && events[^1].Data is CallEvent.HungUp);
            await callbacks.DrainAsync();
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        var call = (await _store.ReadStreamAsync(tenant, stream)).Select(e => e.Data).ToList();
        var created = Assert.IsType<CallEvent.OutboundCreated>(call[0]);
        Assert.Equal(customer, created.Called);
        var dialing = Assert.IsType<CallEvent.DialingStarted>(call[1]);
        Assert.Equal((lineId, RobotNumber.E164), (dialing.LineId, dialing.CallerId));
        Assert.Contains(call, e => e is CallEvent.Answered);
        var robot = Assert.Single(call.OfType<CallEvent.ConnectedToRobot>());
        Assert.Equal(robotId, robot.RobotId);
        Assert.Contains(call, e => e is CallEvent.PromptPlayed);
        Assert.Equal(HangUpParty.Customer, Assert.IsType<CallEvent.HungUp>(call[^1]).By);
        // The call back held one of the line's channels from before its INVITE until its hang-up.
        var line = (await _store.ReadStreamAsync(tenant, Deciders.Line.StreamId(lineId))).Select(e => e.Data).ToList();
        Assert.Equal(RobotCallbacks.CallbackCallId(promisedOn), Assert.Single(line.OfType<LineEvent.ChannelSeized>()).CallId);
        Assert.Equal(RobotCallbacks.CallbackCallId(promisedOn), Assert.Single(line.OfType<LineEvent.ChannelReleased>()).CallId);

        // The message is done: nothing is left to run, so the promise is dialed exactly once.
        await using var pending = database.DataSource.CreateCommand("select count(*) from scheduled_messages where message_type = $1 and tenant = $2");
        pending.Parameters.AddWithValue(RobotSessions.CallbackMessageType);
        pending.Parameters.AddWithValue(tenant);
        Assert.Equal(0L, (long)(await pending.ExecuteScalarAsync())!);
        var log = string.Join('\n', Directory.GetFiles(_sippWork, "*_messages.log").Select(File.ReadAllText));
        Assert.Contains("Authorization: Digest username=\"trunk-user\"", log, StringComparison.Ordinal);
        Assert.DoesNotContain("SIP/2.0 403 Forbidden", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenACallbackWhoseNumberWasListedDoNotCallSince_WhenItIsDue_ThenNothingIsDialed()
    {
        var tenantId = Guid.NewGuid();
        var tenant = Deciders.TenantKey(tenantId);
        var robotId = Guid.NewGuid();
        var lineId = Guid.NewGuid();
        var promisedOn = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var trunk = await StartCustomerAsync();
        var customer = "+4420799900043";
        await CommandRunner.RunAsync(_store, Deciders.Line, tenant, Deciders.Line.StreamId(lineId),
            new LineCommand.Create(lineId, tenantId, "carrier", new LineConfig($"127.0.0.1:{trunk.Port}", LineTransport.Udp, null,
                new CallerIdRules(CallerIdMode.Fixed, PhoneNumber.Parse("+4420700000001"), null), 5), now));
        await CommandRunner.RunAllAsync(_store, Deciders.Robot, tenant, Deciders.Robot.StreamId(robotId),
        [
            new RobotCommand.Create(robotId, tenantId, "demo", new ScriptVersion(SeedDemo.DemoScriptId, 1), "slt", 1, now),
            new RobotCommand.AssignInboundNumber(robotId, RobotNumber.E164, lineId, null, now),
        ]);
        await CommandRunner.RunAsync(_store, Deciders.DialLists, tenant, Deciders.DialLists.StreamId(tenantId),
            new Aicc.Domain.Compliance.DialListCommand.ListNumber(tenant, Aicc.Domain.Compliance.DialListKind.DoNotCall, customer, Aicc.Domain.Compliance.ListingSource.Agent, "asked on a later call", now));
        await MessageScheduler.ScheduleAsync(database.DataSource, new ScheduledMessageRequest(tenant, RobotSessions.CallbackMessageType,
            JsonSerializer.Serialize(new RobotCallback(tenantId, promisedOn, robotId, null, customer)), now, $"robot-callback-{promisedOn}"));

        var hub = NewHub();
        using var asr = new PocketSphinxRecognizer(new PocketSphinxOptions { MaxDecoders = 1 });
        var robots = new RobotSessions(hub, _store, new ShippedRobotScripts(), new RobotEngines(new PromptCache(new FliteSynthesizer()), asr), new RobotSessionOptions());
        var callbacks = new RobotCallbacks(hub, _store, robots, new RobotSeats());
        var worker = new ScheduledMessageWorker(database.DataSource, new ScheduledMessageHandlers().AddRobotCallback(callbacks),
            new ScheduledMessageWorkerOptions { PollInterval = TimeSpan.FromMilliseconds(100) });
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        try
        {
            await WaitUntilAsync(async () =>
            {
                await using var pending = database.DataSource.CreateCommand("select count(*) from scheduled_messages where message_type = $1 and tenant = $2");
                pending.Parameters.AddWithValue(RobotSessions.CallbackMessageType);
                pending.Parameters.AddWithValue(tenant);
                return (long)(await pending.ExecuteScalarAsync())! == 0;
            });
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        Assert.Empty(await _store.ReadStreamAsync(tenant, Deciders.Call.StreamId(RobotCallbacks.CallbackCallId(promisedOn))));
        Assert.Equal(0, callbacks.ActiveCalls);
        var log = string.Join('\n', Directory.GetFiles(_sippWork, "*_messages.log").Select(File.ReadAllText));
        Assert.DoesNotContain("INVITE sip:", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenACallbackWhoseLineHasNoFreeChannel_WhenItIsDue_ThenNothingIsDialedAndItIsTriedAgainLater()
    {
        var tenantId = Guid.NewGuid();
        var tenant = Deciders.TenantKey(tenantId);
        var robotId = Guid.NewGuid();
        var lineId = Guid.NewGuid();
        var promisedOn = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var trunk = await StartCustomerAsync();
        var line = Deciders.Line.StreamId(lineId);
        await CommandRunner.RunAsync(_store, Deciders.Line, tenant, line,
            new LineCommand.Create(lineId, tenantId, "carrier", new LineConfig($"127.0.0.1:{trunk.Port}", LineTransport.Udp, null,
                new CallerIdRules(CallerIdMode.Fixed, PhoneNumber.Parse("+4420700000001"), null), 1), now));
        // A task's call holds the line's only channel.
        await CommandRunner.RunAsync(_store, Deciders.Line, tenant, line, new LineCommand.SeizeChannel(lineId, Guid.CreateVersion7(), now));
        await CommandRunner.RunAllAsync(_store, Deciders.Robot, tenant, Deciders.Robot.StreamId(robotId),
        [
            new RobotCommand.Create(robotId, tenantId, "demo", new ScriptVersion(SeedDemo.DemoScriptId, 1), "slt", 1, now),
            new RobotCommand.AssignInboundNumber(robotId, RobotNumber.E164, lineId, null, now),
        ]);
        await MessageScheduler.ScheduleAsync(database.DataSource, new ScheduledMessageRequest(tenant, RobotSessions.CallbackMessageType,
            JsonSerializer.Serialize(new RobotCallback(tenantId, promisedOn, robotId, null, "+4420799900044")), now, $"robot-callback-{promisedOn}"));

        var hub = NewHub();
        using var asr = new PocketSphinxRecognizer(new PocketSphinxOptions { MaxDecoders = 1 });
        var robots = new RobotSessions(hub, _store, new ShippedRobotScripts(), new RobotEngines(new PromptCache(new FliteSynthesizer()), asr), new RobotSessionOptions());
        var callbacks = new RobotCallbacks(hub, _store, robots, new RobotSeats());
        var worker = new ScheduledMessageWorker(database.DataSource, new ScheduledMessageHandlers().AddRobotCallback(callbacks),
            new ScheduledMessageWorkerOptions { PollInterval = TimeSpan.FromMilliseconds(100) });
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        try
        {
            // The due message is done and a new one waits for a channel.
            await WaitUntilAsync(async () =>
            {
                await using var pending = database.DataSource.CreateCommand(
                    "select count(*) from scheduled_messages where message_type = $1 and tenant = $2 and due_at > now() + interval '20 seconds'");
                pending.Parameters.AddWithValue(RobotSessions.CallbackMessageType);
                pending.Parameters.AddWithValue(tenant);
                return (long)(await pending.ExecuteScalarAsync())! == 1;
            });
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        await using (var all = database.DataSource.CreateCommand("select count(*) from scheduled_messages where message_type = $1 and tenant = $2"))
        {
            all.Parameters.AddWithValue(RobotSessions.CallbackMessageType);
            all.Parameters.AddWithValue(tenant);
            Assert.Equal(1L, (long)(await all.ExecuteScalarAsync())!);
        }

        Assert.Empty(await _store.ReadStreamAsync(tenant, Deciders.Call.StreamId(RobotCallbacks.CallbackCallId(promisedOn))));
        var (state, _) = await CommandRunner.LoadAsync(_store, Deciders.Line, tenant, line, CancellationToken.None);
        Assert.Single(((Line.Active)state).ChannelsInUse);
        var log = string.Join('\n', Directory.GetFiles(_sippWork, "*_messages.log").Select(File.ReadAllText));
        Assert.DoesNotContain("INVITE sip:", log, StringComparison.Ordinal);
    }

    /// <summary>The customer behind a challenging trunk: sipp answers the authenticated INVITE and hangs up after 3 s.</summary>
    private async Task<IPEndPoint> StartCustomerAsync()
    {
        var port = FreeUdpPort();
        var start = new ProcessStartInfo("sipp")
        {
            WorkingDirectory = _sippWork,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-sf", Path.Combine(AppContext.BaseDirectory, "Dialing", "uas_digest_trunk.xml"), "-d", "3000", "-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture),
            "-mp", FreeUdpPort().ToString(CultureInfo.InvariantCulture), "-trace_msg", "-nostdin" })
        {
            start.ArgumentList.Add(a);
        }

        _sipp = Process.Start(start)!;
        _ = _sipp.StandardOutput.ReadToEndAsync();
        _ = _sipp.StandardError.ReadToEndAsync();
        await Task.Delay(300);
        return new IPEndPoint(IPAddress.Loopback, port);
    }

    private CallEventHub NewHub()
    {
        var stack = SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });
        var uas = SipUserAgentServer.On(stack, TimeProvider.System);
        var control = new SipCallControl(uas, _clock, new SipCallControlOptions { MediaAddress = IPAddress.Loopback });
        var hub = new CallEventHub(control);
        _nodes.Add(hub);
        _nodes.Add(control);
        _nodes.Add(stack);
        return hub;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met within 30 s");
            }

            await Task.Delay(100);
        }
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
