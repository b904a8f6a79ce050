using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Dialing;
using Aicc.Domain.Dialing.Contacts;
using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Tasks;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Dialing;
using Aicc.Handlers.RobotPipeline;
using Aicc.Handlers.Switchboard;
using Aicc.Telephony.Speech;
using Aicc.Testing;
using CallEvent = Aicc.Domain.Calls.CallEvent;

namespace Aicc.Handlers.Tests.Switchboard;

/// <summary>
/// Issue 6's rule on the real floor: the dialer reaches a customer (sipp answers) for an agent
/// task whose only agent is not ready; after 2 s without an agent the customer hears the
/// message and the call ends counted abandoned.
/// </summary>
public sealed class AbandonedCallTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private SwitchboardFloor _floor = null!;
    private Process _sipp = null!;
    private IPEndPoint _customer = null!;
    private readonly string _sippWork = Directory.CreateTempSubdirectory("aicc-abandon-sipp-").FullName;

    public async Task InitializeAsync()
    {
        _floor = await SwitchboardFloor.StartAsync(database.DataSource);
        var port = FreeUdpPort();
        var start = new ProcessStartInfo("sipp") { WorkingDirectory = _sippWork, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-sn", "uas", "-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-mp", FreeUdpPort().ToString(CultureInfo.InvariantCulture), "-nostdin" })
        {
            start.ArgumentList.Add(a);
        }

        _sipp = Process.Start(start)!;
        _ = _sipp.StandardOutput.ReadToEndAsync();
        _ = _sipp.StandardError.ReadToEndAsync();
        await Task.Delay(300);
        _customer = new IPEndPoint(IPAddress.Loopback, port);
    }

    public async Task DisposeAsync()
    {
        if (!_sipp.HasExited)
        {
            _sipp.Kill(entireProcessTree: true);
            await _sipp.WaitForExitAsync();
        }

        _sipp.Dispose();
        await _floor.DisposeAsync();
        Directory.Delete(_sippWork, recursive: true);
    }

    [Fact]
    public async Task GivenAnAgentTaskWithNoFreeAgent_WhenACustomerAnswers_ThenAfterTwoSecondsTheyHearTheMessageAndTheCallIsAbandoned()
    {
        var tenantId = _floor.TenantId;
        var tenant = _floor.Tenant;
        var taskId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        // The group has an agent, logged out: nobody is free.
        await _floor.AgentAsync("away", "pw-away", ready: false, "sales");
        await CommandRunner.RunAllAsync(_floor.Store, Deciders.Task, tenant, Deciders.Task.StreamId(taskId),
        [
            new CallTaskCommand.Create(taskId, tenantId, "sales calls", Guid.NewGuid(), now),
            new CallTaskCommand.SetHandler(taskId, new TaskHandler.AgentGroup("sales"), now),
        ]);
        var batchId = Guid.NewGuid();
        var batch = Deciders.CustomerBatch.StreamId(batchId);
        var customer = new TaskCustomer(Guid.NewGuid(), 1, PhoneNumber.Parse($"+44207{Random.Shared.Next(100000, 999999)}01"), ValueMap.Empty);
        await CommandRunner.RunAsync(_floor.Store, Deciders.CustomerBatch, tenant, batch, new CustomerBatchCommand.Open(batchId, taskId, tenantId, "test.csv", now));
        await CommandRunner.RunAsync(_floor.Store, Deciders.CustomerBatch, tenant, batch, new CustomerBatchCommand.AddCustomers(batchId, 0, new[] { customer }.ToValueList(), now));
        await CommandRunner.RunAsync(_floor.Store, Deciders.CustomerBatch, tenant, batch, new CustomerBatchCommand.Seal(batchId, 0, 0, now));

        var flite = new FliteSynthesizer();
        using var asr = new PocketSphinxRecognizer(new PocketSphinxOptions { MaxDecoders = 1 });
        var robots = new RobotSessions(_floor.Hub, _floor.Store, new ShippedRobotScripts(), new RobotEngines(flite, asr), new RobotSessionOptions());
        var rules = new AbandonedCallRules();
        var router = new RobotAnsweredCallRouter(_floor.Hub, _floor.Store, robots, new RobotSeats(), _floor.NewQueue(), abandoned: rules);
        // The dialer seizes a channel of the task's line for every call: the line must exist.
        var lineId = Guid.NewGuid();
        await CommandRunner.RunAsync(_floor.Store, Deciders.Line, tenant, Deciders.Line.StreamId(lineId),
            new LineCommand.Create(lineId, tenantId, "customer", new LineConfig(_customer.ToString(), LineTransport.Udp, null, CallerIdRules.FromTaskPool, 1), now));
        var options = new TaskDialerOptions(tenantId, taskId, lineId, PhoneNumber.Parse("+4420700000001"), _customer, new PacingSettings(PacingMode.Agentless), LineChannels: 1, RobotSlots: 1)
        {
            LeadershipRetry = TimeSpan.FromMilliseconds(100),
            ShutdownGrace = TimeSpan.FromSeconds(2),
        };
        var dialer = new TaskDialer(_floor.Store, _floor.Hub, options, router);
        var callId = DialingContactDecider.AttemptCallId(taskId, customer.CustomerId, 1);
        var stream = Deciders.Call.StreamId(callId);

        using var stop = new CancellationTokenSource();
        var run = dialer.RunAsync(stop.Token);
        try
        {
            await SwitchboardFloor.WaitUntilAsync(async () => (await _floor.CallEventsAsync(callId)) is { Count: > 0 } events && events[^1] is CallEvent.HungUp,
                "the call is closed", TimeSpan.FromSeconds(30));
            await router.DrainAsync();
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }

        var call = await _floor.CallEventsAsync(callId);
        var answered = Assert.Single(call.OfType<CallEvent.Answered>());
        Assert.Equal("sales", Assert.Single(call.OfType<CallEvent.Queued>()).SkillGroup);
        Assert.DoesNotContain(call, e => e is CallEvent.ConnectedToAgent or CallEvent.ConnectedToRobot);
        var hungUp = Assert.IsType<CallEvent.HungUp>(call[^1]);
        Assert.Equal(CallOutcome.Abandoned, hungUp.Outcome);
        Assert.Equal(HangUpParty.Platform, hungUp.By);
        // The platform waited the 2 s for an agent, then played the whole message before hanging up.
        var message = await flite.SynthesizeAsync(rules.Message, rules.Voice);
        Assert.True(hungUp.HungUpAt - answered.AnsweredAt >= rules.AgentWait + message.Duration - TimeSpan.FromMilliseconds(200),
            $"hung up {(hungUp.HungUpAt - answered.AnsweredAt).TotalSeconds:0.0} s after the answer; the wait and the {message.Duration.TotalSeconds:0.0} s message take longer");
        Assert.True(hungUp.HungUpAt - answered.AnsweredAt < TimeSpan.FromSeconds(15), "the customer was kept waiting far beyond the 2 s rule");
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
