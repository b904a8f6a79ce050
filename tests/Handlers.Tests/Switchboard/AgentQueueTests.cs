using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Switchboard;
using Aicc.Telephony.Tests.CallControl;
using Aicc.Telephony.Tests.CallControl.Interop;
using Aicc.Testing;
using DomainCallEvent = Aicc.Domain.Calls.CallEvent;

namespace Aicc.Handlers.Tests.Switchboard;

/// <summary>
/// The distributor against the real event store, the real SIP call control and real softphones
/// (baresip) registered as agents with the platform's registrar using the seats' credentials.
/// </summary>
public sealed class AgentQueueTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string Password = "agent-secret-1";
    private SwitchboardFloor _floor = null!;

    public async Task InitializeAsync() => _floor = await SwitchboardFloor.StartAsync(database.DataSource);

    public async Task DisposeAsync() => await _floor.DisposeAsync();

    [Fact]
    public async Task GivenReadyAgentWithRegisteredPhone_WhenCallIsQueued_ThenPhoneRingsAnswersIsBridgedAndHangUpRunsTheAgentThroughWrapUpBackToReady()
    {
        var (agentId, user) = await _floor.AgentAsync("alice", Password, ready: true, "sales");
        var phone = await _floor.PhoneAsync(user, Password);
        var queue = _floor.NewQueue(new AgentQueueOptions { AfterCallWork = _ => TimeSpan.FromSeconds(1) });
        var customer = await _floor.CustomerCallsAsync();

        var outcome = await queue.ConnectToAgentAsync(_floor.Queued(customer, "sales"), TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.Equal(QueueOutcome.Connected, outcome);
        await phone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));
        Assert.Equal("on_call", await _floor.BoardStateAsync(agentId));
        var heardByCustomer = Path.Combine(_floor.Folder, "customer-heard.wav");
        var recording = await _floor.Customers.Control.RecordLegAsync(customer.CustomerLeg, heardByCustomer);
        await Task.Delay(1500);
        await recording.StopAsync();

        await _floor.Customers.Control.HangUpAsync(customer.CustomerLeg);
        await phone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
        await SwitchboardFloor.WaitUntilAsync(async () => (await _floor.CallEventsAsync(customer.CallId)).Any(e => e is DomainCallEvent.HungUp), "the call is hung up");
        Assert.Equal("after_call_work", await _floor.BoardStateAsync(agentId));
        await SwitchboardFloor.WaitUntilAsync(async () => await _floor.BoardStateAsync(agentId) == "ready", "wrap-up ends", TimeSpan.FromSeconds(10));

        // Audio crossed both ways: the agent's phone decoded the customer's tone, the customer heard the agent's.
        ToneAnalysis.AssertTone(heardByCustomer, SwitchboardFloor.AgentTone);
        ToneAnalysis.AssertTone(phone.DecodedRecording() ?? throw new InvalidOperationException("baresip recorded nothing"), SwitchboardFloor.CustomerTone);

        var callEvents = await _floor.CallEventsAsync(customer.CallId);
        Assert.Equal(
            [typeof(DomainCallEvent.InboundArrived), typeof(DomainCallEvent.Answered), typeof(DomainCallEvent.Queued), typeof(DomainCallEvent.OfferedToAgent), typeof(DomainCallEvent.ConnectedToAgent), typeof(DomainCallEvent.HungUp)],
            callEvents.Select(e => e.GetType()).ToArray());
        var hungUp = (DomainCallEvent.HungUp)callEvents[^1];
        Assert.Equal((HangUpParty.Customer, CallOutcome.Answered), (hungUp.By, hungUp.Outcome));
        Assert.Equal(agentId, ((DomainCallEvent.ConnectedToAgent)callEvents[4]).AgentId);

        var agentEvents = await _floor.AgentEventsAsync(agentId);
        Assert.Equal(
            [typeof(AgentEvent.CallOffered), typeof(AgentEvent.CallAccepted), typeof(AgentEvent.CallEnded), typeof(AgentEvent.AfterCallWorkEnded)],
            agentEvents.SkipWhile(e => e is not AgentEvent.CallOffered).Select(e => e.GetType()).ToArray());
        Assert.Equal(AfterCallWorkEnd.Timer, agentEvents.OfType<AgentEvent.AfterCallWorkEnded>().Single().EndedBy);
        Assert.Equal(0, _floor.Platform.Control.ActiveLegs);
    }

    [Fact]
    public async Task GivenLongestIdleAgentDoesNotAnswer_WhenCallIsQueued_ThenOfferIsWithdrawnAndTheNextAgentGetsTheCall()
    {
        var (silentId, silentUser) = await _floor.AgentAsync("sam", Password, ready: true, "support");
        await Task.Delay(20);
        var (answeringId, answeringUser) = await _floor.AgentAsync("bob", Password, ready: true, "support");
        var silent = await _floor.PhoneAsync(silentUser, Password, autoAnswer: false);
        var answering = await _floor.PhoneAsync(answeringUser, Password);
        var queue = _floor.NewQueue(new AgentQueueOptions { RingTimeout = TimeSpan.FromSeconds(2), AfterCallWork = _ => TimeSpan.Zero });
        var customer = await _floor.CustomerCallsAsync(playTone: false);

        var outcome = await queue.ConnectToAgentAsync(_floor.Queued(customer, "support"), TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.Equal(QueueOutcome.Connected, outcome);
        await silent.NextEventAsync("CALL_INCOMING", TimeSpan.FromSeconds(1));
        await answering.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));
        var offers = (await _floor.CallEventsAsync(customer.CallId)).Where(e => e is DomainCallEvent.OfferedToAgent or DomainCallEvent.OfferWithdrawn or DomainCallEvent.ConnectedToAgent).ToList();
        Assert.Equal<object>(
            [
                ("offered", silentId), ("withdrawn", silentId), ("offered", answeringId), ("connected", answeringId),
            ],
            offers.Select(e => e switch
            {
                DomainCallEvent.OfferedToAgent o => ("offered", o.AgentId),
                DomainCallEvent.OfferWithdrawn w => ("withdrawn", w.AgentId),
                DomainCallEvent.ConnectedToAgent c => ((object)("connected", c.AgentId)),
                _ => ("?", Guid.Empty),
            }).ToArray());
        // The agent who let it ring out is taken out of routing until they come back.
        Assert.Equal("not_ready", await _floor.BoardStateAsync(silentId));
        var missed = (await _floor.AgentEventsAsync(silentId)).OfType<AgentEvent.OfferEnded>().Single();
        Assert.Equal(OfferEndReason.Unanswered, missed.Reason);

        // The agent hangs up: the customer's leg ends too, and with no wrap-up the agent is ready at once.
        await answering.CommandAsync("hangup");
        await SwitchboardFloor.WaitUntilAsync(async () => (await _floor.CallEventsAsync(customer.CallId)).Any(e => e is DomainCallEvent.HungUp), "the call is hung up");
        var hungUp = (await _floor.CallEventsAsync(customer.CallId)).OfType<DomainCallEvent.HungUp>().Single();
        Assert.Equal(HangUpParty.Seat, hungUp.By);
        await _floor.Customers.Next<Aicc.Telephony.CallControl.CallEvent.Hungup>(match: h => h.Leg == customer.CustomerLeg);
        Assert.Equal("ready", await _floor.BoardStateAsync(answeringId));
    }

    [Fact]
    public async Task GivenNoReadyAgent_WhenTheQueueTimesOut_ThenOutcomeIsTimedOutAndTheCustomerIsStillOnTheLine()
    {
        var (busyId, _) = await _floor.AgentAsync("nora", Password, ready: false, "billing");
        var queue = _floor.NewQueue();
        var customer = await _floor.CustomerCallsAsync(playTone: false);
        var started = DateTimeOffset.UtcNow;

        var outcome = await queue.ConnectToAgentAsync(_floor.Queued(customer, "billing"), TimeSpan.FromSeconds(1.5), CancellationToken.None);

        Assert.Equal(QueueOutcome.TimedOut, outcome);
        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(5));
        Assert.Equal(1, _floor.Customers.Control.ActiveLegs);
        Assert.Equal(1, _floor.Platform.Control.ActiveLegs);
        var callEvents = await _floor.CallEventsAsync(customer.CallId);
        Assert.IsType<DomainCallEvent.Queued>(callEvents[^1]);
        Assert.DoesNotContain(await _floor.AgentEventsAsync(busyId), e => e is AgentEvent.CallOffered);
        await using var claims = _floor.DataSource.CreateCommand("select count(*) from acd_calls where tenant = $1");
        claims.Parameters.AddWithValue(_floor.Tenant);
        Assert.Equal(0L, await claims.ExecuteScalarAsync());
        await _floor.Customers.Control.HangUpAsync(customer.CustomerLeg);
    }

    [Fact]
    public async Task GivenOneAgentInFourGroups_WhenFourCallsOfThoseGroupsQueueAtOnceOnTwoNodes_ThenTheAgentIsNeverOfferedTwoCallsAtOnce()
    {
        string[] groups = ["g1", "g2", "g3", "g4"];
        var (agentId, user) = await _floor.AgentAsync("olga", Password, ready: true, groups);
        var phone = await _floor.PhoneAsync(user, Password, autoAnswer: false);
        var options = new AgentQueueOptions { RingTimeout = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(20) };
        AgentQueue[] nodes = [_floor.NewQueue(options with { NodeId = "node-a" }), _floor.NewQueue(options with { NodeId = "node-b" })];
        var customers = new List<CustomerCall>();
        foreach (var _ in groups)
        {
            customers.Add(await _floor.CustomerCallsAsync(playTone: false));
        }

        // The agent declines every ring (baresip rejects with 486): each offer ends, the agent
        // stays ready, and the four queues race for the agent again and again.
        using var rejecting = new CancellationTokenSource();
        var rejecter = Task.Run(async () =>
        {
            while (!rejecting.IsCancellationRequested)
            {
                try
                {
                    await phone.NextEventAsync("CALL_INCOMING", TimeSpan.FromMilliseconds(500));
                    await phone.CommandAsync("hangup");
                }
                catch (TimeoutException)
                {
                }
            }
        });
        var outcomes = await Task.WhenAll(customers.Select((c, i) =>
            nodes[i % 2].ConnectToAgentAsync(_floor.Queued(c, groups[i]), TimeSpan.FromSeconds(4), CancellationToken.None)));
        await rejecting.CancelAsync();
        await rejecter;

        Assert.All(outcomes, o => Assert.Equal(QueueOutcome.TimedOut, o));
        var agentEvents = (await _floor.AgentEventsAsync(agentId)).Where(e => e is AgentEvent.CallOffered or AgentEvent.OfferEnded).ToList();
        Assert.True(agentEvents.OfType<AgentEvent.CallOffered>().Count() >= 2, $"only {agentEvents.Count} offer events: the race never happened");
        Guid? ringing = null;
        foreach (var e in agentEvents)
        {
            switch (e)
            {
                case AgentEvent.CallOffered offered:
                    Assert.Null(ringing);
                    ringing = offered.CallId;
                    break;
                case AgentEvent.OfferEnded ended:
                    Assert.Equal(ringing, ended.CallId);
                    ringing = null;
                    break;
            }
        }

        // Every offer on a call's stream is one the agent's stream agreed to.
        var callOffers = 0;
        foreach (var c in customers)
        {
            callOffers += (await _floor.CallEventsAsync(c.CallId)).Count(e => e is DomainCallEvent.OfferedToAgent);
            await _floor.Customers.Control.HangUpAsync(c.CustomerLeg);
        }

        Assert.Equal(agentEvents.OfType<AgentEvent.CallOffered>().Count(), callOffers);
    }

    [Fact]
    public async Task GivenConnectedCall_WhenTheAgentHoldsResumesTransfersAndTheNextAgentHangsUp_ThenMediaAndEventsFollow()
    {
        var (aliceId, aliceUser) = await _floor.AgentAsync("alice", Password, ready: true, "sales");
        var (bobId, bobUser) = await _floor.AgentAsync("bob", Password, ready: true, "vip");
        var alicePhone = await _floor.PhoneAsync(aliceUser, Password);
        var bobPhone = await _floor.PhoneAsync(bobUser, Password);
        var queue = _floor.NewQueue(new AgentQueueOptions { AfterCallWork = _ => TimeSpan.FromMilliseconds(500) });
        var customer = await _floor.CustomerCallsAsync();
        Assert.Equal(QueueOutcome.Connected, await queue.ConnectToAgentAsync(_floor.Queued(customer, "sales"), TimeSpan.FromSeconds(20), CancellationToken.None));
        await alicePhone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));

        Assert.True(await queue.HandleAsync(_floor.TenantId, customer.CallId, aliceId, new AgentCallRequest.Hold(), CancellationToken.None));
        var onHold = await HearAsync(customer, "on-hold.wav", TimeSpan.FromSeconds(1.5));
        var (first, voiced, seen) = ToneAnalysis.DominantShare(onHold, AgentHoldMusic.FirstNoteHz);
        var (second, _, _) = ToneAnalysis.DominantShare(onHold, AgentHoldMusic.SecondNoteHz);
        Assert.True(voiced >= 5 && first + second >= 0.8, $"on hold the customer heard {seen}");

        Assert.True(await queue.HandleAsync(_floor.TenantId, customer.CallId, aliceId, new AgentCallRequest.Resume(), CancellationToken.None));
        ToneAnalysis.AssertTone(await HearAsync(customer, "resumed.wav", TimeSpan.FromSeconds(1)), SwitchboardFloor.AgentTone);

        Assert.True(await queue.HandleAsync(_floor.TenantId, customer.CallId, aliceId, new AgentCallRequest.Transfer(new TransferTarget.ToSkillGroup("vip"), "needs a specialist"), CancellationToken.None));
        await alicePhone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
        await bobPhone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(10));
        await SwitchboardFloor.WaitUntilAsync(async () => await _floor.BoardStateAsync(bobId) == "on_call", "bob is on the call");
        // The first agent no longer controls the call.
        Assert.False(await queue.HandleAsync(_floor.TenantId, customer.CallId, aliceId, new AgentCallRequest.HangUp(), CancellationToken.None));

        Assert.True(await queue.HandleAsync(_floor.TenantId, customer.CallId, bobId, new AgentCallRequest.HangUp(), CancellationToken.None));
        await bobPhone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
        await _floor.Customers.Next<Aicc.Telephony.CallControl.CallEvent.Hungup>(match: h => h.Leg == customer.CustomerLeg);
        await SwitchboardFloor.WaitUntilAsync(async () => await _floor.BoardStateAsync(bobId) == "ready" && await _floor.BoardStateAsync(aliceId) == "ready", "both agents' wrap-up ends");

        var events = await _floor.CallEventsAsync(customer.CallId);
        Assert.Equal(
            ["Queued", "OfferedToAgent", "ConnectedToAgent", "Held", "Resumed", "Transferred", "OfferedToAgent", "ConnectedToAgent", "HungUp"],
            events.SkipWhile(e => e is not DomainCallEvent.Queued).Select(e => e.GetType().Name).ToArray());
        Assert.Equal(bobId, events.OfType<DomainCallEvent.ConnectedToAgent>().Last().AgentId);
        Assert.Equal(HangUpParty.Seat, events.OfType<DomainCallEvent.HungUp>().Single().By);
        Assert.Contains(await _floor.AgentEventsAsync(aliceId), e => e is AgentEvent.CallEnded);
    }

    [Fact]
    public async Task GivenAgentPhoneRegisteredAtTheEdgeProxy_WhenCallIsQueued_ThenTheQueueRingsItThroughTheProxyAndBridges()
    {
        await using var kamailio = await Kamailio.StartAsync();
        var (agentId, user) = await _floor.AgentAsync("wendy", Password, ready: true, "web");
        var phone = await _floor.PhoneAtProxyAsync(user, kamailio.EndPoint);
        Assert.Empty(_floor.Registrar.Lookup($"sip:{user}@{_floor.Domains.Of(_floor.TenantId)}"));
        var queue = _floor.NewQueue(phones: new EdgeProxyAgentPhones(_floor.Platform.Control, _floor.Domains, kamailio.EndPoint));
        var customer = await _floor.CustomerCallsAsync();

        var outcome = await queue.ConnectToAgentAsync(_floor.Queued(customer, "web"), TimeSpan.FromSeconds(15), CancellationToken.None);

        Assert.True(outcome == QueueOutcome.Connected, kamailio.Output);
        await phone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));
        ToneAnalysis.AssertTone(await HearAsync(customer, "via-proxy.wav", TimeSpan.FromSeconds(1.2)), SwitchboardFloor.AgentTone);
        await _floor.Customers.Control.HangUpAsync(customer.CustomerLeg);
        await phone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
        await SwitchboardFloor.WaitUntilAsync(async () => await _floor.BoardStateAsync(agentId) == "after_call_work", "the agent wraps up");
    }

    [Fact]
    public async Task GivenTwoCallsWaitingOnTwoNodesAndADeadNodesStaleClaim_WhenAnAgentBecomesReady_ThenTheOlderLiveCallIsServedFirst()
    {
        var (agentId, user) = await _floor.AgentAsync("fifo", Password, ready: false, "queue");
        var phone = await _floor.PhoneAsync(user, Password);
        var options = new AgentQueueOptions { AfterCallWork = _ => TimeSpan.Zero };
        var nodeA = _floor.NewQueue(options with { NodeId = "node-a" });
        var nodeB = _floor.NewQueue(options with { NodeId = "node-b" });
        // A node that crashed left a claim older than both calls; its lease has run out.
        var staleCall = Guid.NewGuid();
        await using (var stale = _floor.DataSource.CreateCommand("""
            insert into acd_calls (tenant, call_id, skill_group, queued_at, node, lease_until, state, caller)
            values ($1, $2, 'queue', now() - interval '1 minute', 'node-dead', now() - interval '1 second', 'waiting', '860000')
            """))
        {
            stale.Parameters.AddWithValue(_floor.Tenant);
            stale.Parameters.AddWithValue(staleCall);
            await stale.ExecuteNonQueryAsync();
        }

        var older = await _floor.CustomerCallsAsync(playTone: false);
        var younger = await _floor.CustomerCallsAsync(playTone: false);
        var olderWaits = _floor.Queued(older, "queue");
        // The younger call sits on the node that would otherwise poll first.
        var youngerOutcome = nodeA.ConnectToAgentAsync(_floor.Queued(younger, "queue") with { QueuedAt = olderWaits.QueuedAt.AddMilliseconds(10) }, TimeSpan.FromSeconds(20), CancellationToken.None);
        var olderOutcome = nodeB.ConnectToAgentAsync(olderWaits, TimeSpan.FromSeconds(20), CancellationToken.None);
        await Task.Delay(300);
        await _floor.AgentCommandAsync(agentId, new AgentCommand.LogIn(agentId, DateTimeOffset.UtcNow));

        Assert.Equal(QueueOutcome.Connected, await olderOutcome);
        Assert.False(youngerOutcome.IsCompleted);
        await phone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));
        await _floor.Customers.Control.HangUpAsync(older.CustomerLeg);

        // With no wrap-up the agent is ready again at once, and the younger call gets them.
        Assert.Equal(QueueOutcome.Connected, await youngerOutcome);
        var offered = (await _floor.AgentEventsAsync(agentId)).OfType<AgentEvent.CallOffered>().Select(o => o.CallId).ToArray();
        Assert.Equal([older.CallId, younger.CallId], offered);
        await _floor.Customers.Control.HangUpAsync(younger.CustomerLeg);
        await using var forget = _floor.DataSource.CreateCommand("delete from acd_calls where call_id = $1");
        forget.Parameters.AddWithValue(staleCall);
        await forget.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task GivenSeatCredentials_WhenTheRegistrarLooksThemUp_ThenOnlyTheSeatsRealmAndUserMatchAndARemovedSeatIsGone()
    {
        var (agentId, user) = await _floor.AgentAsync("cred", Password, ready: false, "any");
        var store = new AgentSipCredentialStore(_floor.DataSource);
        var realm = _floor.Domains.Of(_floor.TenantId);

        var found = await store.FindAsync(realm.ToUpperInvariant(), user);
        Assert.NotNull(found);
        Assert.Equal(Aicc.Telephony.Sip.Authentication.SipStoredCredential.FromPassword(user, realm, Password).Ha1Md5, found.Ha1Md5);
        Assert.Equal(Aicc.Telephony.Sip.Authentication.SipStoredCredential.FromPassword(user, realm, Password).Ha1Sha256, found.Ha1Sha256);
        Assert.Null(await store.FindAsync(_floor.Domains.Of(Guid.NewGuid()), user));

        await _floor.AgentCommandAsync(agentId, new AgentCommand.Remove(agentId, DateTimeOffset.UtcNow));
        Assert.Null(await store.FindAsync(realm, user));
    }

    [Fact]
    public async Task GivenACallConnectedOnANodeThatDied_WhenAnotherNodeReaps_ThenTheCallIsClosedAndTheAgentIsReadyAgain()
    {
        var (agentId, _) = await _floor.AgentAsync("orphan", Password, ready: true, "lost");
        var callId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        async Task Call(CallCommand c) => await CommandRunner.RunAsync(_floor.Store, Deciders.Call, _floor.Tenant, Deciders.Call.StreamId(callId), c);
        await Call(new CallCommand.ReceiveInbound(callId, _floor.TenantId, Guid.NewGuid(), "8613900000000", "4000", now));
        await Call(new CallCommand.Answer(callId, now));
        await Call(new CallCommand.Queue(callId, "lost", now));
        await _floor.AgentCommandAsync(agentId, new AgentCommand.OfferCall(agentId, callId, now));
        await Call(new CallCommand.OfferToAgent(callId, agentId, now));
        await _floor.AgentCommandAsync(agentId, new AgentCommand.AcceptCall(agentId, callId, now));
        await Call(new CallCommand.ConnectAgent(callId, agentId, now));
        await using (var claim = _floor.DataSource.CreateCommand("""
            insert into acd_calls (tenant, call_id, skill_group, queued_at, node, lease_until, state, agent_id, caller)
            values ($1, $2, 'lost', now() - interval '2 minutes', 'node-dead', now() - interval '1 minute', 'connected', $3, '8613900000000')
            """))
        {
            claim.Parameters.AddWithValue(_floor.Tenant);
            claim.Parameters.AddWithValue(callId);
            claim.Parameters.AddWithValue(agentId);
            await claim.ExecuteNonQueryAsync();
        }

        var queue = _floor.NewQueue();
        Assert.Equal(1, await queue.ReapOrphanedCallsAsync(CancellationToken.None));
        Assert.Equal(0, await queue.ReapOrphanedCallsAsync(CancellationToken.None));

        var hungUp = (await _floor.CallEventsAsync(callId)).OfType<DomainCallEvent.HungUp>().Single();
        Assert.Equal((HangUpParty.Platform, CloseReason.ChannelError), (hungUp.By, hungUp.Reason));
        Assert.Equal("ready", await _floor.BoardStateAsync(agentId));
    }

    [Fact]
    public async Task GivenAHostWithItsHub_WhenTheSwitchboardIsAdded_ThenOneQueueServesTheRobotDialerAndConsole()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(services, _floor.Store);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(services, _floor.Hub);
        services.AddAgentSwitchboard();
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);

        var queue = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IAgentQueue>(provider);
        Assert.IsType<AgentQueue>(queue);
        Assert.Same(queue, Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IAgentCallDesk>(provider));
        Assert.IsType<RegisteredAgentPhones>(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IAgentPhones>(provider));
    }

    private async Task<string> HearAsync(CustomerCall customer, string name, TimeSpan duration)
    {
        var path = Path.Combine(_floor.Folder, name);
        var recording = await _floor.Customers.Control.RecordLegAsync(customer.CustomerLeg, path);
        await Task.Delay(duration);
        await recording.StopAsync();
        return path;
    }
}
