using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.Compliance;
using Aicc.Domain.Numbers;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Dialing;
using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.EventStore.Schema;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Dialing;
using Aicc.Handlers.EventTypes;
using Aicc.Handlers.Security;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;
using Aicc.Testing;
using Npgsql;
using Xunit.Abstractions;
using DomainCallEvent = Aicc.Domain.Calls.CallEvent;

namespace Aicc.Handlers.Tests.Dialing;

/// <summary>
/// The task dialer against the real event store and the real SIP call control, dialing sipp's
/// built-in UAS (which rings and answers every call) over loopback.
/// </summary>
public sealed partial class TaskDialerTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly Guid TenantId = Guid.NewGuid();
    private Guid LineId { get; } = Guid.NewGuid();
    private static readonly PhoneNumber CallerId = PhoneNumber.Parse("+4420700000001");

    private readonly string _tenant = Deciders.TenantKey(TenantId);
    private readonly string _sippWork = Directory.CreateTempSubdirectory("aicc-dialer-sipp-").FullName;
    private PostgresEventStore _store = null!;
    private readonly List<Process> _sipps = [];
    private IPEndPoint _trunk = null!;
    private MediaClock _clock = null!;
    private readonly List<IAsyncDisposable> _nodes = [];

    public async Task InitializeAsync()
    {
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(PostgresEventStore).Assembly);
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(TaskDialer).Assembly);
        _store = new PostgresEventStore(database.DataSource, DomainEventTypes.CreateRegistry());
        _clock = new MediaClock();
        _trunk = await StartSippAsync(_sippWork, "-sn", "uas");
        // Every call seizes a channel of the task's line, so the line exists (with room for every test's calls).
        await CommandRunner.RunAsync(_store, Deciders.Line, _tenant, Deciders.Line.StreamId(LineId),
            new LineCommand.Create(LineId, TenantId, "sipp", new LineConfig(_trunk.ToString(), LineTransport.Udp, null, CallerIdRules.FromTaskPool, 100), DateTimeOffset.UtcNow));
    }

    /// <summary>Starts sipp as a callee on a free loopback port, logging every message to its work folder.</summary>
    private async Task<IPEndPoint> StartSippAsync(string work, params string[] scenario)
    {
        var port = FreeUdpPort();
        var start = new ProcessStartInfo("sipp")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in scenario.Concat(["-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-mp", FreeUdpPort().ToString(CultureInfo.InvariantCulture), "-trace_msg", "-nostdin"]))
        {
            start.ArgumentList.Add(a);
        }

        var sipp = Process.Start(start)!;
        _sipps.Add(sipp);
        _ = sipp.StandardOutput.ReadToEndAsync();
        _ = sipp.StandardError.ReadToEndAsync();
        // sipp binds its socket shortly after starting.
        await Task.Delay(300);
        return new IPEndPoint(IPAddress.Loopback, port);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        foreach (var sipp in _sipps)
        {
            if (!sipp.HasExited)
            {
                sipp.Kill(entireProcessTree: true);
                await sipp.WaitForExitAsync();
            }

            sipp.Dispose();
        }

        _clock.Dispose();
        Directory.Delete(_sippWork, recursive: true);
    }

    [Fact]
    public async Task GivenSealedCustomers_WhenTheDialerRuns_ThenEachCustomerGetsExactlyOneAttemptRecordedBeforeItsInvite()
    {
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 6);
        var dialer = new TaskDialer(_store, NewHub(), Options(taskId));

        using var stop = new CancellationTokenSource();
        var run = dialer.RunAsync(stop.Token);
        try
        {
            await WaitUntilAsync(async () => (await CallsAsync(taskId)).Count(c => c.Any(e => e.Data is DomainCallEvent.Answered)) == customers.Count);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }

        var calls = await CallsAsync(taskId);
        Assert.Equal(
            customers.Select(c => c.CustomerId).Order(),
            calls.Select(c => ((DomainCallEvent.OutboundCreated)c[0].Data).CustomerId!.Value).Order());
        foreach (var call in calls)
        {
            var dialing = Assert.IsType<DomainCallEvent.DialingStarted>(call[1].Data);
            Assert.Equal((1, LineId, CallerId.E164), (dialing.Attempt, dialing.LineId, dialing.CallerId));
            Assert.Contains(call, e => e.Data is DomainCallEvent.RingingStarted);
            // Stopping the dialer hangs its answered calls up: answered with no seat is abandoned.
            var hungUp = Assert.IsType<DomainCallEvent.HungUp>(call[^1].Data);
            Assert.Equal(CallOutcome.Abandoned, hungUp.Outcome);
        }

        // sipp logs when each INVITE arrived; each was preceded by its attempt's commit.
        var invites = InviteArrivals();
        Assert.Equal(customers.Count, invites.Count);
        foreach (var call in calls)
        {
            var number = ((DomainCallEvent.OutboundCreated)call[0].Data).Called;
            Assert.True(call[1].Timestamp <= invites[number], $"attempt for {number} stored at {call[1].Timestamp:O}, INVITE arrived {invites[number]:O}");
        }
    }

    [Fact]
    public async Task GivenAnotherDialerHoldsTheTask_WhenASecondRuns_ThenItDialsNothingUntilTheHoldersConnectionDies()
    {
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 3);
        var holder = new TaskDialer(_store, NewHub(), Options(taskId));
        Assert.True(await holder.TryLeadAsync(CancellationToken.None));

        var second = new TaskDialer(_store, NewHub(), Options(taskId));
        using var stop = new CancellationTokenSource();
        var run = second.RunAsync(stop.Token);
        await Task.Delay(1500);
        Assert.False(second.IsLeader);
        Assert.Empty(await CallsAsync(taskId));

        // The holder's process dies: PostgreSQL ends its session and drops the lock with it.
        Assert.Equal(1L, await TerminateLockHolderAsync(taskId));

        await WaitUntilAsync(async () => (await CallsAsync(taskId)).Count(c => c.Any(e => e.Data is DomainCallEvent.Answered)) == customers.Count);
        Assert.True(second.IsLeader);
        await stop.CancelAsync();
        await run;
        Assert.Equal(customers.Count, (await CallsAsync(taskId)).Count);
    }

    [Fact]
    public async Task GivenARunningDialer_WhenItsLockSessionDies_ThenItStopsAndClosesTheCallsItCarried()
    {
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 2);
        var dialer = new TaskDialer(_store, NewHub(), Options(taskId));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = dialer.RunAsync(stop.Token);
        await WaitUntilAsync(async () => (await CallsAsync(taskId)).Count(c => c.Any(e => e.Data is DomainCallEvent.Answered)) == customers.Count);

        Assert.Equal(1L, await TerminateLockHolderAsync(taskId));

        var lost = await Assert.ThrowsAsync<InvalidOperationException>(() => run);
        Assert.Contains("lost the lock", lost.Message);
        Assert.False(dialer.IsLeader);
        Assert.All(await CallsAsync(taskId), c => Assert.IsType<DomainCallEvent.HungUp>(c[^1].Data));
    }

    [Fact]
    public async Task GivenCalleesThatRingThenAreBusy_WhenDialed_ThenEachAttemptRingsAndEndsBusyWithTheirCloseReason()
    {
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 3);
        var work = Directory.CreateTempSubdirectory("aicc-dialer-busy-").FullName;
        var busyTrunk = await StartSippAsync(work, "-sf", Path.Combine(AppContext.BaseDirectory, "Dialing", "uas_ring_then_busy.xml"));
        var dialer = new TaskDialer(_store, NewHub(), Options(taskId, busyTrunk));

        using var stop = new CancellationTokenSource();
        var run = dialer.RunAsync(stop.Token);
        try
        {
            await WaitUntilAsync(async () => (await CallsAsync(taskId)).Count(c => c[^1].Data is DomainCallEvent.HungUp) == customers.Count);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
            Directory.Delete(work, recursive: true);
        }

        foreach (var call in await CallsAsync(taskId))
        {
            Assert.Equal(
                [typeof(DomainCallEvent.OutboundCreated), typeof(DomainCallEvent.DialingStarted), typeof(DomainCallEvent.RingingStarted), typeof(DomainCallEvent.HungUp)],
                call.Select(e => e.Data.GetType()));
            var hungUp = (DomainCallEvent.HungUp)call[^1].Data;
            Assert.Equal((HangUpParty.Customer, CloseReason.BBusy, CallOutcome.Busy), (hungUp.By, hungUp.Reason, hungUp.Outcome));
        }

        Assert.Equal(0, dialer.LiveCalls);
    }

    [Fact]
    public async Task GivenADialerWhoseLockSessionDied_WhenItReconciles_ThenItWritesNothingAndReportsTheLostLock()
    {
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 1);
        var open = await AppendOpenAttemptAsync(taskId, customers[0]);
        var stale = new TaskDialer(_store, NewHub(), Options(taskId));
        Assert.True(await stale.TryLeadAsync(CancellationToken.None));
        Assert.Equal(1L, await TerminateLockHolderAsync(taskId));

        var lost = await Assert.ThrowsAsync<InvalidOperationException>(() => stale.ReconcileAsync(CancellationToken.None));

        Assert.Contains("lost the lock", lost.Message);
        Assert.False(stale.IsLeader);
        var attempt = Assert.Single(await new TaskAttempts(_store).AttemptsAsync(TenantId, taskId, CancellationToken.None));
        Assert.Equal((open, true, false), (attempt.CallId, attempt.Dialed, attempt.Ended));
        await Assert.ThrowsAsync<InvalidOperationException>(() => stale.ReconcileAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GivenACampaignWhoseDialerDiesMidway_WhenAnotherTakesOver_ThenEveryCustomerEndsWithExactlyOneAttempt()
    {
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 30);
        var work = Directory.CreateTempSubdirectory("aicc-dialer-takeover-").FullName;
        var busyTrunk = await StartSippAsync(work, "-sf", Path.Combine(AppContext.BaseDirectory, "Dialing", "uas_ring_then_busy.xml"));
        var options = Options(taskId, busyTrunk) with { LineChannels = 2, RobotSlots = 2 };
        var first = new TaskDialer(_store, NewHub(), options);
        var second = new TaskDialer(_store, NewHub(), options);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var firstRun = first.RunAsync(stop.Token);
        await WaitUntilAsync(async () => first.IsLeader && (await CallsAsync(taskId)).Count(c => c[^1].Data is DomainCallEvent.HungUp) >= 5);
        Assert.Equal(1L, await TerminateLockHolderAsync(taskId));
        // Fenced: without its session the first dialer can record no further attempt.
        var dialedByFirst = (await CallsAsync(taskId)).Count;
        var secondRun = second.RunAsync(stop.Token);
        await Assert.ThrowsAsync<InvalidOperationException>(() => firstRun);
        try
        {
            await WaitUntilAsync(async () => (await CallsAsync(taskId)).Count(c => c[^1].Data is DomainCallEvent.HungUp) == customers.Count);
        }
        finally
        {
            await stop.CancelAsync();
            await secondRun;
            Directory.Delete(work, recursive: true);
        }

        Assert.InRange(dialedByFirst, 5, customers.Count - 1);
        var calls = await CallsAsync(taskId);
        Assert.Equal(customers.Select(c => c.CustomerId).Order(), calls.Select(c => ((DomainCallEvent.OutboundCreated)c[0].Data).CustomerId!.Value).Order());
        Assert.All(calls, c => Assert.Single(c, e => e.Data is DomainCallEvent.HungUp));
    }

    [Fact]
    public async Task GivenAnAttemptLeftOpenByADeadDialer_WhenANewDialerStarts_ThenItIsClosedAsFailedAndNotDialedAgain()
    {
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 3);
        var orphan = await AppendOpenAttemptAsync(taskId, customers[0]);

        var dialer = new TaskDialer(_store, NewHub(), Options(taskId));
        using var stop = new CancellationTokenSource();
        var run = dialer.RunAsync(stop.Token);
        await WaitUntilAsync(async () => (await CallsAsync(taskId)).Count(c => c.Any(e => e.Data is DomainCallEvent.Answered)) == customers.Count - 1);
        await stop.CancelAsync();
        await run;

        var calls = await CallsAsync(taskId);
        Assert.Equal(customers.Count, calls.Count);
        Assert.Equal(customers.Select(c => c.CustomerId).Order(), calls.Select(c => ((DomainCallEvent.OutboundCreated)c[0].Data).CustomerId!.Value).Order());
        var closed = Assert.Single(calls, c => ((DomainCallEvent.OutboundCreated)c[0].Data).CallId == orphan);
        var hungUp = Assert.IsType<DomainCallEvent.HungUp>(closed[^1].Data);
        Assert.Equal((HangUpParty.Platform, CallOutcome.Failed), (hungUp.By, hungUp.Outcome));
        Assert.DoesNotContain(InviteArrivals().Keys, n => n == customers[0].Phone.E164);
    }

    [Fact]
    public async Task GivenADoNotCallNumberAndAPool_WhenTheDialerRuns_ThenTheNumberIsRefusedWithItsReasonAndTheOthersPresentTheNearestPoolNumber()
    {
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 3);
        var now = DateTimeOffset.UtcNow;
        await CommandRunner.RunAsync(_store, Deciders.DialLists, _tenant, Deciders.DialLists.StreamId(TenantId),
            new DialListCommand.ListNumber(_tenant, DialListKind.DoNotCall, customers[0].Phone.E164, ListingSource.Robot, "intent do_not_call", now));
        var poolId = Guid.NewGuid();
        var pool = Deciders.NumberPool.StreamId(poolId);
        await CommandRunner.RunAllAsync(_store, Deciders.NumberPool, _tenant, pool,
        [
            new NumberPoolCommand.Create(poolId, TenantId, "east", "Shanghai", now),
            new NumberPoolCommand.SetNumber(poolId, new CallerNumber("+861058000001", NumberKind.FixedLine, "Beijing", 100, 10, 0.05m), now),
            new NumberPoolCommand.SetNumber(poolId, new CallerNumber("+862158000001", NumberKind.FixedLine, "Shanghai", 100, 10, 0.05m), now),
        ]);
        var dialer = new TaskDialer(_store, NewHub(), Options(taskId) with { NumberPoolId = poolId });

        using var stop = new CancellationTokenSource();
        var run = dialer.RunAsync(stop.Token);
        try
        {
            await WaitUntilAsync(async () => (await CallsAsync(taskId)).Count(c => c.Any(e => e.Data is DomainCallEvent.Answered)) == 2);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }

        var calls = await CallsAsync(taskId);
        Assert.Equal(customers.Skip(1).Select(c => c.CustomerId).Order(), calls.Select(c => ((DomainCallEvent.OutboundCreated)c[0].Data).CustomerId!.Value).Order());
        // The callees' city is unknown (UK numbers), so the pool's default city decides: Shanghai.
        Assert.All(calls, c => Assert.Equal("+862158000001", ((DomainCallEvent.DialingStarted)c[1].Data).CallerId));
        var refusal = Assert.Single(await new TaskAttempts(_store).RefusalsAsync(TenantId, taskId, 10, CancellationToken.None));
        Assert.Equal((customers[0].CustomerId, RefusalReason.DoNotCall, (DateTimeOffset?)null), (refusal.CustomerId, refusal.Reason, refusal.RetryAfter));
        Assert.Contains("intent do_not_call", refusal.Detail);
        Assert.DoesNotContain(InviteArrivals().Keys, n => n == customers[0].Phone.E164);
    }

    [Fact]
    public async Task GivenAClosedCallingWindow_WhenTheDialerRuns_ThenNothingIsDialedAndEachCustomerIsRefusedUntilTheWindowOpens()
    {
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 2);
        var now = DateTimeOffset.UtcNow;
        // A one-minute window twelve hours away is closed now whatever the time of day.
        var opens = TimeOnly.FromDateTime(now.UtcDateTime.AddHours(12));
        var window = new Aicc.Domain.Compliance.CallingWindow([.. Enum.GetValues<DayOfWeek>()], opens, opens.AddMinutes(1));
        var dialer = new TaskDialer(_store, NewHub(), Options(taskId) with { Windows = [window] });

        using var stop = new CancellationTokenSource();
        var run = dialer.RunAsync(stop.Token);
        try
        {
            await WaitUntilAsync(async () => (await new TaskAttempts(_store).RefusalsAsync(TenantId, taskId, 10, CancellationToken.None)).Count == customers.Count);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }

        Assert.Empty(await CallsAsync(taskId));
        var refusals = await new TaskAttempts(_store).RefusalsAsync(TenantId, taskId, 10, CancellationToken.None);
        Assert.All(refusals, r => Assert.Equal(RefusalReason.OutsideCallingWindow, r.Reason));
        Assert.All(refusals, r => Assert.InRange(r.RetryAfter!.Value, now.AddHours(11), now.AddHours(13)));
        // The retry is durable: one scheduled message per customer makes the same attempt due when the window opens.
        await using var pending = database.DataSource.CreateCommand("select count(*) from scheduled_messages where tenant = $1 and message_type = $2 and payload->>'taskId' = $3");
        pending.Parameters.AddWithValue(_tenant);
        pending.Parameters.AddWithValue(RedialDueMessage.Type);
        pending.Parameters.AddWithValue(taskId.ToString());
        Assert.Equal((long)customers.Count, (long)(await pending.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task GivenTheDialerService_WhenATaskStartsPausesAndResumes_ThenItsDialerStartsStopsWithItsCallsClosedAndStartsAgain()
    {
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 3);
        var now = DateTimeOffset.UtcNow;
        var robotId = Guid.NewGuid();
        var lineId = Guid.NewGuid();
        await CommandRunner.RunAsync(_store, Deciders.Robot, _tenant, Deciders.Robot.StreamId(robotId),
            new Aicc.Domain.Robots.RobotCommand.Create(robotId, TenantId, "robot", new Aicc.Domain.Robots.ScriptVersion(Guid.NewGuid(), 1), "slt", 5, now));
        await CommandRunner.RunAsync(_store, Deciders.Line, _tenant, Deciders.Line.StreamId(lineId),
            new Aicc.Domain.Lines.LineCommand.Create(lineId, TenantId, "sipp", new Aicc.Domain.Lines.LineConfig($"127.0.0.1:{_trunk.Port}", Aicc.Domain.Lines.LineTransport.Udp, null,
                new Aicc.Domain.Lines.CallerIdRules(Aicc.Domain.Lines.CallerIdMode.Fixed, CallerId, null), 5), now));
        var task = Deciders.Task.StreamId(taskId);
        await CommandRunner.RunAllAsync(_store, Deciders.Task, _tenant, task,
        [
            new Aicc.Domain.Tasks.CallTaskCommand.Create(taskId, TenantId, "service", Guid.NewGuid(), now),
            new Aicc.Domain.Tasks.CallTaskCommand.SetLine(taskId, lineId, now),
            new Aicc.Domain.Tasks.CallTaskCommand.SetHandler(taskId, new Aicc.Domain.Tasks.TaskHandler.Robot(robotId), now),
            new Aicc.Domain.Tasks.CallTaskCommand.SetPacing(taskId, new Aicc.Domain.Tasks.TaskPacing(Aicc.Domain.Tasks.TaskPacingMode.Agentless, null, 0.03m), now),
            new Aicc.Domain.Tasks.CallTaskCommand.SetCallingWindows(taskId, ValueList.Of(new Aicc.Domain.Tasks.CallingWindow(TimeOnly.MinValue, TimeOnly.MaxValue)), now),
            new Aicc.Domain.Tasks.CallTaskCommand.AcceptCustomerBatch(taskId, Guid.NewGuid(), customers.Count, 0, 0, now),
            new Aicc.Domain.Tasks.CallTaskCommand.Start(taskId, now),
        ]);
        var service = new DialerService(_store, NewHub(), new DialerServiceOptions
        {
            Poll = TimeSpan.FromMilliseconds(200),
            RunScheduler = false,
            Adjust = o => o with { LeadershipRetry = TimeSpan.FromMilliseconds(100), ShutdownGrace = TimeSpan.FromSeconds(2) },
        });
        using var stop = new CancellationTokenSource();
        await service.StartAsync(stop.Token);
        try
        {
            await WaitUntilAsync(async () => (await CallsAsync(taskId)).Count(c => c.Any(e => e.Data is DomainCallEvent.Answered)) == customers.Count);
            Assert.Contains((TenantId, taskId), service.Tasks);
            var (up, _) = await CommandRunner.LoadAsync(_store, Deciders.Line, _tenant, Deciders.Line.StreamId(lineId), CancellationToken.None);
            Assert.Equal(customers.Count, ((Line.Active)up).ChannelsInUse.Count);

            await CommandRunner.RunAsync(_store, Deciders.Task, _tenant, task, new Aicc.Domain.Tasks.CallTaskCommand.Pause(taskId, "lunch", DateTimeOffset.UtcNow));
            await WaitUntilAsync(() => Task.FromResult(!service.Tasks.Contains((TenantId, taskId))));
            // Stopping hung up the answered calls (sipp's callees would hold them) and closed them.
            Assert.All(await CallsAsync(taskId), c => Assert.IsType<DomainCallEvent.HungUp>(c[^1].Data));
            // ... and gave their channels back: a paused task holds none of its line's.
            var (paused, _) = await CommandRunner.LoadAsync(_store, Deciders.Line, _tenant, Deciders.Line.StreamId(lineId), CancellationToken.None);
            Assert.Empty(((Line.Active)paused).ChannelsInUse);

            await CommandRunner.RunAsync(_store, Deciders.Task, _tenant, task, new Aicc.Domain.Tasks.CallTaskCommand.Resume(taskId, DateTimeOffset.UtcNow));
            await WaitUntilAsync(() => Task.FromResult(service.Tasks.Contains((TenantId, taskId))));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.Equal(customers.Count, (await CallsAsync(taskId)).Count);
    }

    [Fact]
    public async Task GivenARouter_WhenCalleesAnswer_ThenEachAnsweredCallIsHandedOverAndTheDialerClosesItWhenTheRouterEndsIt()
    {
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 3);
        var hub = NewHub();
        var router = new HangingUpRouter(hub);
        var dialer = new TaskDialer(_store, hub, Options(taskId), router);

        using var stop = new CancellationTokenSource();
        var run = dialer.RunAsync(stop.Token);
        try
        {
            await WaitUntilAsync(async () => (await CallsAsync(taskId)).Count(c => c[^1].Data is DomainCallEvent.HungUp) == customers.Count);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }

        var calls = await CallsAsync(taskId);
        Assert.Equal(
            calls.Select(c => (((DomainCallEvent.OutboundCreated)c[0].Data).CallId, ((DomainCallEvent.OutboundCreated)c[0].Data).CustomerId!.Value, ((DomainCallEvent.OutboundCreated)c[0].Data).Called)).Order(),
            router.HandedOver.Select(a => (a.CallId, a.CustomerId, a.CustomerPhone)).Order());
        Assert.All(router.HandedOver, a => Assert.Equal((TenantId, taskId), (a.TenantId, a.TaskId)));
        Assert.All(calls, c => Assert.Equal(HangUpParty.Platform, ((DomainCallEvent.HungUp)c[^1].Data).By));
    }

    [Fact]
    public async Task GivenATrunkThatChallengesInvites_WhenTheLineHasStoredCredentials_ThenTheDialerAnswersTheChallengeAndTheCallGetsThrough()
    {
        var taskId = Guid.NewGuid();
        var lineId = Guid.NewGuid();
        var trunkWork = Directory.CreateTempSubdirectory("aicc-dialer-digest-").FullName;
        var trunk = await StartSippAsync(trunkWork, "-sf", Path.Combine(AppContext.BaseDirectory, "Dialing", "uas_digest_trunk.xml"), "-d", "300");
        var secrets = new LineSecrets(new SecretBox([System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)]), _store);
        await CommandRunner.RunAsync(_store, Deciders.Line, _tenant, Deciders.Line.StreamId(lineId),
            new Aicc.Domain.Lines.LineCommand.Create(lineId, TenantId, "carrier", new Aicc.Domain.Lines.LineConfig($"127.0.0.1:{trunk.Port}", Aicc.Domain.Lines.LineTransport.Udp,
                secrets.Protect(TenantId, lineId, "trunk-user", "trunk-secret"),
                new Aicc.Domain.Lines.CallerIdRules(Aicc.Domain.Lines.CallerIdMode.Fixed, CallerId, null), 5), DateTimeOffset.UtcNow));
        var customers = await SealBatchAsync(taskId, 2);
        var dialer = new TaskDialer(_store, NewHub(), Options(taskId, trunk) with { LineId = lineId }, secrets: secrets);

        using var stop = new CancellationTokenSource();
        var run = dialer.RunAsync(stop.Token);
        try
        {
            // The callee hangs up after answering, so each call ends answered and completed.
            await WaitUntilAsync(async () => (await CallsAsync(taskId)).Count(c => c[^1].Data is DomainCallEvent.HungUp) == customers.Count);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }

        var calls = await CallsAsync(taskId);
        Assert.Equal(customers.Count, calls.Count);
        Assert.All(calls, c => Assert.Contains(c, e => e.Data is DomainCallEvent.Answered));
        // sipp challenged each call once and verified the second INVITE's digest before answering (403 otherwise).
        var log = string.Join('\n', Directory.GetFiles(trunkWork, "*_messages.log").Select(File.ReadAllText));
        Assert.Equal(customers.Count, CountOf(log, "SIP/2.0 401 Unauthorized"));
        Assert.Equal(customers.Count, CountOf(log, "Authorization: Digest username=\"trunk-user\""));
        Assert.Equal(0, CountOf(log, "SIP/2.0 403 Forbidden"));
        Directory.Delete(trunkWork, recursive: true);
    }

    [Fact]
    public async Task GivenATrunkThatChallengesInvites_WhenTheDialerHasNoCredentials_ThenTheTrunkRefusesTheCalls()
    {
        var taskId = Guid.NewGuid();
        var trunkWork = Directory.CreateTempSubdirectory("aicc-dialer-digest-").FullName;
        var trunk = await StartSippAsync(trunkWork, "-sf", Path.Combine(AppContext.BaseDirectory, "Dialing", "uas_digest_trunk.xml"), "-d", "300");
        var customers = await SealBatchAsync(taskId, 1);
        var dialer = new TaskDialer(_store, NewHub(), Options(taskId, trunk));

        using var stop = new CancellationTokenSource();
        var run = dialer.RunAsync(stop.Token);
        try
        {
            await WaitUntilAsync(async () => (await CallsAsync(taskId)).Count(c => c[^1].Data is DomainCallEvent.HungUp) == customers.Count);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }

        Assert.All(await CallsAsync(taskId), c => Assert.DoesNotContain(c, e => e.Data is DomainCallEvent.Answered));
        Directory.Delete(trunkWork, recursive: true);
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task GivenASuspendedTenant_WhenTheDialerServiceReconciles_ThenItsRunningTaskIsNotDialedUntilTheTenantIsActivatedAndStopsWhenSuspendedAgain()
    {
        var tenantId = Guid.NewGuid();
        var tenant = Deciders.TenantKey(tenantId);
        var taskId = Guid.NewGuid();
        var robotId = Guid.NewGuid();
        var lineId = Guid.NewGuid();
        var operatorId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var tenantStream = Deciders.Tenant.StreamId(tenantId);
        await CommandRunner.RunAllAsync(_store, Deciders.Tenant, tenant, tenantStream,
        [
            new Aicc.Domain.Tenants.TenantCommand.Create(tenantId, "suspended co", new Aicc.Domain.Tenants.TenantSettings("UTC", CallerId, false), operatorId, now),
            new Aicc.Domain.Tenants.TenantCommand.Suspend(tenantId, "unpaid", operatorId, now),
        ]);
        await CommandRunner.RunAsync(_store, Deciders.Robot, tenant, Deciders.Robot.StreamId(robotId),
            new Aicc.Domain.Robots.RobotCommand.Create(robotId, tenantId, "robot", new Aicc.Domain.Robots.ScriptVersion(Guid.NewGuid(), 1), "slt", 5, now));
        await CommandRunner.RunAsync(_store, Deciders.Line, tenant, Deciders.Line.StreamId(lineId),
            new Aicc.Domain.Lines.LineCommand.Create(lineId, tenantId, "sipp", new Aicc.Domain.Lines.LineConfig($"127.0.0.1:{_trunk.Port}", Aicc.Domain.Lines.LineTransport.Udp, null,
                new Aicc.Domain.Lines.CallerIdRules(Aicc.Domain.Lines.CallerIdMode.Fixed, CallerId, null), 5), now));
        var batchId = Guid.NewGuid();
        var batch = Deciders.CustomerBatch.StreamId(batchId);
        var customer = new TaskCustomer(Guid.NewGuid(), 1, PhoneNumber.Parse($"+44207{Random.Shared.Next(100000, 999999)}01"), ValueMap.Empty);
        await CommandRunner.RunAsync(_store, Deciders.CustomerBatch, tenant, batch, new CustomerBatchCommand.Open(batchId, taskId, tenantId, "test.csv", now));
        await CommandRunner.RunAsync(_store, Deciders.CustomerBatch, tenant, batch, new CustomerBatchCommand.AddCustomers(batchId, 0, new[] { customer }.ToValueList(), now));
        await CommandRunner.RunAsync(_store, Deciders.CustomerBatch, tenant, batch, new CustomerBatchCommand.Seal(batchId, 0, 0, now));
        await CommandRunner.RunAllAsync(_store, Deciders.Task, tenant, Deciders.Task.StreamId(taskId),
        [
            new Aicc.Domain.Tasks.CallTaskCommand.Create(taskId, tenantId, "service", Guid.NewGuid(), now),
            new Aicc.Domain.Tasks.CallTaskCommand.SetLine(taskId, lineId, now),
            new Aicc.Domain.Tasks.CallTaskCommand.SetHandler(taskId, new Aicc.Domain.Tasks.TaskHandler.Robot(robotId), now),
            new Aicc.Domain.Tasks.CallTaskCommand.SetPacing(taskId, new Aicc.Domain.Tasks.TaskPacing(Aicc.Domain.Tasks.TaskPacingMode.Agentless, null, 0.03m), now),
            new Aicc.Domain.Tasks.CallTaskCommand.SetCallingWindows(taskId, ValueList.Of(new Aicc.Domain.Tasks.CallingWindow(TimeOnly.MinValue, TimeOnly.MaxValue)), now),
            new Aicc.Domain.Tasks.CallTaskCommand.AcceptCustomerBatch(taskId, batchId, 1, 0, 0, now),
            new Aicc.Domain.Tasks.CallTaskCommand.Start(taskId, now),
        ]);
        var service = new DialerService(_store, NewHub(), new DialerServiceOptions
        {
            RunScheduler = false,
            Adjust = o => o with { LeadershipRetry = TimeSpan.FromMilliseconds(100), ShutdownGrace = TimeSpan.FromSeconds(2) },
        });
        var attempts = new TaskAttempts(_store);

        await service.ReconcileTasksAsync(CancellationToken.None);
        Assert.DoesNotContain((tenantId, taskId), service.Tasks);
        Assert.DoesNotContain((tenantId, taskId), await DialerService.RunningTasksAsync(database.DataSource, CancellationToken.None));
        var (options, problem) = await TaskDialerSettings.LoadAsync(_store, tenantId, taskId, null, CancellationToken.None);
        Assert.Null(options);
        Assert.Equal("the tenant is suspended", problem);
        await Task.Delay(500);
        Assert.Empty(await attempts.AttemptsAsync(tenantId, taskId, CancellationToken.None));

        await CommandRunner.RunAsync(_store, Deciders.Tenant, tenant, tenantStream, new Aicc.Domain.Tenants.TenantCommand.Activate(tenantId, operatorId, DateTimeOffset.UtcNow));
        await service.ReconcileTasksAsync(CancellationToken.None);
        Assert.Contains((tenantId, taskId), service.Tasks);
        await WaitUntilAsync(async () => (await attempts.AttemptsAsync(tenantId, taskId, CancellationToken.None)).Count == 1);

        await CommandRunner.RunAsync(_store, Deciders.Tenant, tenant, tenantStream, new Aicc.Domain.Tenants.TenantCommand.Suspend(tenantId, "unpaid again", operatorId, DateTimeOffset.UtcNow));
        await service.ReconcileTasksAsync(CancellationToken.None);
        Assert.DoesNotContain((tenantId, taskId), service.Tasks);
        await service.StopAsync(CancellationToken.None);
    }

    /// <summary>A router that takes each answered call, keeps it a moment and ends it, as a finished conversation would.</summary>
    private sealed class HangingUpRouter(CallEventHub hub) : IAnsweredCallRouter
    {
        public System.Collections.Concurrent.ConcurrentBag<AnsweredCall> HandedOver { get; } = [];

        public Task TakeOverAsync(AnsweredCall call, CancellationToken cancellationToken)
        {
            HandedOver.Add(call);
            _ = Task.Run(async () =>
            {
                await Task.Delay(100);
                await hub.Control.HangUpAsync(call.Leg);
            });
            return Task.CompletedTask;
        }
    }

    /// <summary>An attempt as a dialer that died right after recording it would leave it: created and dialing, never ended.</summary>
    private async Task<Guid> AppendOpenAttemptAsync(Guid taskId, TaskCustomer customer, Guid? lineId = null)
    {
        var callId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await CommandRunner.RunAllAsync(_store, Deciders.Call, _tenant, Deciders.Call.StreamId(callId),
        [
            new CallCommand.CreateOutbound(callId, TenantId, taskId, customer.CustomerId, customer.Phone, ValueMap.Empty, now),
            new CallCommand.Dial(callId, 1, lineId ?? LineId, CallerId, now),
        ]);
        return callId;
    }

    /// <summary>Ends the database session holding the task's dialer lock, as the death of its process would.</summary>
    private async Task<long> TerminateLockHolderAsync(Guid taskId)
    {
        await using var kill = database.DataSource.CreateCommand(
            """
            select count(pg_terminate_backend(l.pid))
            from pg_locks l, (select hashtextextended('aicc.dialer:' || $1 || ':' || $2, 0) as k) h
            where l.locktype = 'advisory' and l.granted and l.objsubid = 1
              and l.classid::bigint = ((h.k >> 32) & 4294967295) and l.objid::bigint = (h.k & 4294967295)
            """);
        kill.Parameters.AddWithValue(_tenant);
        kill.Parameters.AddWithValue(taskId.ToString());
        return (long)(await kill.ExecuteScalarAsync())!;
    }

    private TaskDialerOptions Options(Guid taskId, IPEndPoint? trunk = null) =>
        new(TenantId, taskId, LineId, CallerId, trunk ?? _trunk, new PacingSettings(PacingMode.Agentless), LineChannels: 10, RobotSlots: 10)
        {
            LeadershipRetry = TimeSpan.FromMilliseconds(100),
            // sipp's scripted callees do not answer a CANCEL; a leg cancelled at shutdown reports only after SIP's 32 s timeout.
            ShutdownGrace = TimeSpan.FromSeconds(2),
        };

    private CallEventHub NewHub()
    {
        var hub = new CallEventHub(NewCallControl());
        _nodes.Insert(0, hub);
        return hub;
    }

    private SipCallControl NewCallControl()
    {
        var stack = SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });
        var uas = SipUserAgentServer.On(stack, TimeProvider.System);
        var control = new SipCallControl(uas, _clock, new SipCallControlOptions { MediaAddress = IPAddress.Loopback });
        _nodes.Add(control);
        _nodes.Add(stack);
        return control;
    }

    private async Task<IReadOnlyList<TaskCustomer>> SealBatchAsync(Guid taskId, int count)
    {
        var batchId = Guid.NewGuid();
        var stream = Deciders.CustomerBatch.StreamId(batchId);
        var now = DateTimeOffset.UtcNow;
        var prefix = Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        var customers = Enumerable.Range(1, count)
            .Select(i => new TaskCustomer(Guid.NewGuid(), i, PhoneNumber.Parse($"+44207{prefix}{i:D2}"), ValueMap.Empty))
            .ToList();
        await CommandRunner.RunAsync(_store, Deciders.CustomerBatch, _tenant, stream, new CustomerBatchCommand.Open(batchId, taskId, TenantId, "test.csv", now));
        await CommandRunner.RunAsync(_store, Deciders.CustomerBatch, _tenant, stream, new CustomerBatchCommand.AddCustomers(batchId, 0, customers.ToValueList(), now));
        await CommandRunner.RunAsync(_store, Deciders.CustomerBatch, _tenant, stream, new CustomerBatchCommand.Seal(batchId, 0, 0, now));
        return customers;
    }

    /// <summary>Every call stream of the task, each as its recorded events in order.</summary>
    private async Task<List<IReadOnlyList<RecordedEvent>>> CallsAsync(Guid taskId)
    {
        var attempts = await new TaskAttempts(_store).AttemptsAsync(TenantId, taskId, CancellationToken.None);
        var calls = new List<IReadOnlyList<RecordedEvent>>();
        foreach (var attempt in attempts)
        {
            calls.Add(await _store.ReadStreamAsync(_tenant, Deciders.Call.StreamId(attempt.CallId)));
        }

        return calls;
    }

    /// <summary>When sipp received each INVITE, by the number in its request line (from sipp's -trace_msg log).</summary>
    private Dictionary<string, DateTimeOffset> InviteArrivals()
    {
        var arrivals = new Dictionary<string, DateTimeOffset>();
        foreach (var log in Directory.GetFiles(_sippWork, "*_messages.log"))
        {
            DateTimeOffset stamp = default;
            var receiving = false;
            foreach (var line in File.ReadLines(log))
            {
                if (line.StartsWith("-----", StringComparison.Ordinal))
                {
                    var parts = line.Trim('-', ' ').Split(' ');
                    stamp = DateTimeOffset.ParseExact($"{parts[0]} {parts[1]}", "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal);
                }
                else if (line.Contains("message received", StringComparison.Ordinal) || line.Contains("message sent", StringComparison.Ordinal))
                {
                    receiving = line.Contains("received", StringComparison.Ordinal);
                }
                else if (receiving && line.StartsWith("INVITE sip:", StringComparison.Ordinal))
                {
                    arrivals.TryAdd(line["INVITE sip:".Length..].Split('@', ' ', ';')[0], stamp);
                }
            }
        }

        return arrivals;
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => WaitUntilAsync(condition, TimeSpan.FromSeconds(20));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within {timeout.TotalSeconds} s");
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
