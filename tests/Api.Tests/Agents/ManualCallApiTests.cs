using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Api.Tests.Robots;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Dialing.Contacts;
using Aicc.Domain.Lines;
using Aicc.Domain.Numbers;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Switchboard.PlacingManualCall;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Sip.UserAgents;
using Aicc.Telephony.Tests.CallControl;
using Aicc.Telephony.Tests.CallControl.Interop;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicc.Api.Tests.Agents;

/// <summary>
/// Manual outbound calls (POST /api/v1/agents/me/calls) through the real host with its
/// telephony and PostgreSQL: the compliance gate's refusals, idempotent retries, the seat and
/// tenant rules, and the whole call with real phones (a baresip desk phone registered as the
/// agent, a baresip customer behind the task's line).
/// </summary>
public sealed class ManualCallApiTests(RobotTelephonyHost host) : IClassFixture<RobotTelephonyHost>
{
    private const string Customer = "+861058001234";
    private const string SipPassword = "desk-phone-secret";

    private PostgresEventStore Store => host.Store;

    private Task<ManualCallFloor> FloorAsync(string name, string lineAddress = "127.0.0.1:9") =>
        ManualCallFloor.CreateAsync(Store, host.Client.BaseAddress!, name, lineAddress);

    private static async Task ReadyAsync(ManualCallFloor floor, string sipUser)
    {
        await ManualCallFloor.JsonAsync(await floor.Agent.PutAsJsonAsync($"/api/v1/agents/{floor.AgentId}/sip-credentials", new { username = sipUser, password = SipPassword }));
        await ManualCallFloor.JsonAsync(await floor.Agent.PostAsJsonAsync($"/api/v1/agents/{floor.AgentId}/state", new { state = "ready" }));
    }

    [Fact]
    public async Task GivenANumberOnTheDoNotCallList_WhenTheAgentDialsIt_ThenAProblemNamesTheReasonTheRefusalIsRecordedAndNothingIsDialed()
    {
        using var floor = await FloorAsync("Refusal Co");
        await ReadyAsync(floor, "refused-desk");
        await ManualCallFloor.JsonAsync(await floor.Admin.PostAsJsonAsync("/api/v1/dial-lists/do-not-call/numbers", new { number = Customer, reason = "asked us to stop" }));

        var response = await floor.Agent.PostAsJsonAsync("/api/v1/agents/me/calls", new { number = "010 5800 1234", taskId = floor.TaskId });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("DoNotCall", problem.GetProperty("reason").GetString());
        Assert.Equal("manual_call.refused", problem.GetProperty("code").GetString());
        Assert.Contains("do-not-call", problem.GetProperty("detail").GetString());
        var calleeId = PlaceManualCall.CalleeId(floor.TaskId, PhoneNumber.Parse(Customer));
        var contact = await Store.ReadStreamAsync(floor.TenantKey, Deciders.DialingContact.StreamId(DialingContactDecider.ContactId(floor.TaskId, calleeId)));
        var refused = Assert.IsType<DialingContactEvent.DialRefused>(Assert.Single(contact).Data);
        Assert.Equal((Customer, Domain.Compliance.RefusalReason.DoNotCall), (refused.Callee, refused.Reason));
        // Nothing was dialed, leased or offered.
        Assert.Equal(0, await CallsToAsync(floor, Customer));
        Assert.Empty(await Store.ReadStreamAsync(floor.TenantKey, Deciders.NumberLeases.StreamId(floor.PoolId)));
        Assert.IsType<AgentPresence.Ready>(await PresenceAsync(floor));
        Assert.Equal(HttpStatusCode.BadRequest, (await floor.Agent.PostAsJsonAsync("/api/v1/agents/me/calls", new { number = "not a number" })).StatusCode);
    }

    [Fact]
    public async Task GivenAnIdempotencyKey_WhenTheAgentsDialIsRetried_ThenOneCallIsPlacedWithOneLeaseAndBothEndWhenThePhoneCannotBeRung()
    {
        using var floor = await FloorAsync("Retry Co");
        await ReadyAsync(floor, "retry-desk");

        // The seat's desk phone is not registered: the platform records the call, cannot ring the agent, and ends it.
        var placed = await SendAsync(floor.Agent, "retry-1", new { number = Customer, taskId = floor.TaskId });
        var again = await SendAsync(floor.Agent, "retry-1", new { number = Customer, taskId = floor.TaskId });

        Assert.Equal(HttpStatusCode.Accepted, placed.Status);
        Assert.True(again.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, again.Body.ToString());
        var callId = placed.Body.GetProperty("callId").GetGuid();
        Assert.Equal(callId, again.Body.GetProperty("callId").GetGuid());
        Assert.Contains(placed.Body.GetProperty("callerId").GetString(), ManualCallFloor.PoolNumbers);
        Assert.Equal(1, await CallsToAsync(floor, Customer));
        var hungUp = await CallStreamWaits.WaitForAsync<CallEvent.HungUp>(Store, floor.TenantKey, callId, TimeSpan.FromSeconds(10));
        Assert.Equal((HangUpParty.Platform, CloseReason.ChannelError), (hungUp.By, hungUp.Reason));
        var calls = await CallStreamWaits.CallEventsAsync(Store, floor.TenantKey, callId);
        Assert.Equal(floor.AgentId, Assert.Single(calls.OfType<CallEvent.OfferedToAgent>()).AgentId);
        Assert.DoesNotContain(calls, e => e is CallEvent.DialingStarted);
        var leases = (await Store.ReadStreamAsync(floor.TenantKey, Deciders.NumberLeases.StreamId(floor.PoolId))).Select(e => e.Data).ToList();
        Assert.Single(leases.OfType<NumberLeaseEvent.LeaseGranted>());
        Assert.Equal(LeaseEndReason.HungUp, Assert.Single(leases.OfType<NumberLeaseEvent.LeaseReleased>()).Reason);
        await AssertChannelSeizedAndReleasedAsync(floor, callId);
        // An unreachable phone is a missed offer, as for a distributed call.
        Assert.Equal(AgentPresence.MissedCallReason, Assert.IsType<AgentPresence.NotReady>(await PresenceAsync(floor)).Reason);
        var renewed = await floor.Agent.PostAsJsonAsync($"/api/v1/agents/me/calls/{callId}/lease", new { poolId = floor.PoolId });
        Assert.Equal(HttpStatusCode.Conflict, renewed.StatusCode);
    }

    [Fact]
    public async Task GivenALineWhoseChannelsAreAllInUse_WhenTheAgentDials_ThenAConflictNamesTheFullLineAndNothingIsRecordedOrLeased()
    {
        using var floor = await FloorAsync("Full Line Co");
        await ReadyAsync(floor, "full-desk");
        // The dialers of other tasks hold every channel of the line (ManualCallFloor gives it four).
        var busy = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();
        foreach (var other in busy)
        {
            await CommandRunner.RunAsync(Store, Deciders.Line, floor.TenantKey, Deciders.Line.StreamId(floor.LineId),
                new LineCommand.SeizeChannel(floor.LineId, other, DateTimeOffset.UtcNow), cancellationToken: CancellationToken.None);
        }

        var refused = await SendAsync(floor.Agent, "full-1", new { number = Customer, taskId = floor.TaskId });

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("line.at_capacity", refused.Body.GetProperty("code").GetString());
        Assert.Equal(0, await CallsToAsync(floor, Customer));
        Assert.Empty(await Store.ReadStreamAsync(floor.TenantKey, Deciders.NumberLeases.StreamId(floor.PoolId)));
        Assert.Equal(busy, (await LineAsync(floor)).ChannelsInUse);
        Assert.IsType<AgentPresence.Ready>(await PresenceAsync(floor));

        // One channel frees: the same agent's next dial goes out.
        await CommandRunner.RunAsync(Store, Deciders.Line, floor.TenantKey, Deciders.Line.StreamId(floor.LineId),
            new LineCommand.ReleaseChannel(floor.LineId, busy[0], DateTimeOffset.UtcNow), cancellationToken: CancellationToken.None);
        var placed = await SendAsync(floor.Agent, "full-2", new { number = Customer, taskId = floor.TaskId });
        Assert.Equal(HttpStatusCode.Accepted, placed.Status);
    }

    private async Task<Line.Active> LineAsync(ManualCallFloor floor)
    {
        var (line, _) = await CommandRunner.LoadAsync(Store, Deciders.Line, floor.TenantKey, Deciders.Line.StreamId(floor.LineId), CancellationToken.None);
        return Assert.IsType<Line.Active>(line);
    }

    /// <summary>The call held one channel of the line, taken when it was placed and given back with its hang-up.</summary>
    private async Task AssertChannelSeizedAndReleasedAsync(ManualCallFloor floor, Guid callId)
    {
        var line = (await Store.ReadStreamAsync(floor.TenantKey, Deciders.Line.StreamId(floor.LineId))).Select(e => e.Data).ToList();
        Assert.Single(line.OfType<LineEvent.ChannelSeized>(), e => e.CallId == callId);
        Assert.Single(line.OfType<LineEvent.ChannelReleased>(), e => e.CallId == callId);
        Assert.DoesNotContain(callId, (await LineAsync(floor)).ChannelsInUse);
    }

    [Fact]
    public async Task GivenAnAgentWhoIsOfflineOrWithoutASeat_OrAnotherTenantsTaskOrCall_WhenTheyDial_ThenRefusedAndNothingIsRecorded()
    {
        using var floor = await FloorAsync("Rules Co");
        await ManualCallFloor.JsonAsync(await floor.Agent.PutAsJsonAsync($"/api/v1/agents/{floor.AgentId}/sip-credentials", new { username = "rules-desk", password = SipPassword }));

        var offline = await floor.Agent.PostAsJsonAsync("/api/v1/agents/me/calls", new { number = Customer, taskId = floor.TaskId });
        Assert.Equal(HttpStatusCode.Conflict, offline.StatusCode);
        Assert.Equal("agent.offline", (await offline.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var noSeat = await floor.Admin.PostAsJsonAsync("/api/v1/agents/me/calls", new { number = Customer, taskId = floor.TaskId });
        Assert.Equal(HttpStatusCode.NotFound, noSeat.StatusCode);

        // Another tenant's agent cannot dial for this tenant's task, nor keep this tenant's calls' leases.
        using var other = await ManualCallFloor.CreateAsync(Store, host.Client.BaseAddress!, "Other Co", "127.0.0.1:9", login: "wang.wei");
        await ReadyAsync(other, "other-desk");
        var foreignTask = await other.Agent.PostAsJsonAsync("/api/v1/agents/me/calls", new { number = Customer, taskId = floor.TaskId });
        Assert.Equal(HttpStatusCode.NotFound, foreignTask.StatusCode);
        var mine = await SendAsync(other.Agent, "other-1", new { number = Customer, taskId = other.TaskId });
        Assert.Equal(HttpStatusCode.Accepted, mine.Status);
        var foreignLease = await floor.Agent.PostAsJsonAsync($"/api/v1/agents/me/calls/{mine.Body.GetProperty("callId").GetGuid()}/lease", new { poolId = other.PoolId });
        Assert.Equal(HttpStatusCode.NotFound, foreignLease.StatusCode);

        Assert.Equal(0, await CallsToAsync(floor, Customer));
        Assert.Empty(await Store.ReadStreamAsync(floor.TenantKey, Deciders.NumberLeases.StreamId(floor.PoolId)));
    }

    [Fact]
    public async Task GivenARegisteredDeskPhone_WhenTheAgentDials_ThenTheirPhoneRingsFirstTheCustomerIsCalledFromTheLeasedNumberBridgedAndTheHangUpEndsCallLeaseAndSeat()
    {
        var folder = Directory.CreateTempSubdirectory("aicc-manual-call-").FullName;
        var tone = Path.Combine(folder, "customer-tone.wav");
        WavFile.Write(tone, ToneGenerator.Generate(700, TimeSpan.FromSeconds(30)));
        await using var customer = await Baresip.StartAsync(tone, port => $"<sip:{Customer}@127.0.0.1:{port}>;regint=0;answermode=auto;audio_codecs=pcmu");
        using var floor = await FloorAsync("Bridge Co", $"127.0.0.1:{customer.SipPort}");
        await ReadyAsync(floor, "bridge-desk");
        var realm = (await ManualCallFloor.JsonAsync(await floor.Agent.PutAsJsonAsync(
            $"/api/v1/agents/{floor.AgentId}/sip-credentials", new { username = "bridge-desk", password = SipPassword }))).GetProperty("realm").GetString()!;
        var quiet = Path.Combine(folder, "desk-quiet.wav");
        WavFile.Write(quiet, new short[8000 * 60]);
        await using var desk = await DeskPhoneAsync("bridge-desk", realm, quiet);
        try
        {
            var placed = await SendAsync(floor.Agent, "bridge-1", new { number = Customer });
            Assert.Equal(HttpStatusCode.Accepted, placed.Status);
            var callId = placed.Body.GetProperty("callId").GetGuid();
            var callerId = placed.Body.GetProperty("callerId").GetString();

            await customer.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(15));
            var answered = await CallStreamWaits.WaitForAsync<CallEvent.Answered>(Store, floor.TenantKey, callId, TimeSpan.FromSeconds(5));
            var (call, _) = await CommandRunner.LoadAsync(Store, Deciders.Call, floor.TenantKey, Deciders.Call.StreamId(callId), CancellationToken.None);
            var connected = Assert.IsType<Call.WithAgent>(call);
            Assert.Equal((floor.AgentId, floor.LineId, callerId, CallDirection.Outbound), (connected.Info.AgentId, connected.Info.LineId, connected.Info.Caller, connected.Info.Direction));
            Assert.Equal(floor.TaskId, connected.Info.TaskId);
            Assert.Equal(callId, Assert.IsType<AgentPresence.OnCall>(await PresenceAsync(floor)).CallId);
            Assert.Equal(new[] { callId }, (await LineAsync(floor)).ChannelsInUse);
            var popUp = await floor.Agent.GetFromJsonAsync<JsonElement>("/api/v1/agents/me/call");
            Assert.Equal((callId.ToString(), "on_call", "with_agent", Customer), (popUp.GetProperty("callId").GetString(), popUp.GetProperty("agentState").GetString(),
                popUp.GetProperty("callState").GetString(), popUp.GetProperty("called").GetString()));
            var renewed = await ManualCallFloor.JsonAsync(await floor.Agent.PostAsJsonAsync($"/api/v1/agents/me/calls/{callId}/lease", new { poolId = floor.PoolId }));
            Assert.True(renewed.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(25));

            // The call lives by this agent's lease: it is not handed to a colleague.
            var transfer = await floor.Agent.PostAsJsonAsync($"/api/v1/calls/{callId}/transfer", new { skillGroup = "sales" });
            Assert.Equal(HttpStatusCode.Conflict, transfer.StatusCode);
            Assert.Equal("call.manual_not_transferable", (await transfer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

            // The desk phone hears the customer's tone through the bridge; then the customer hangs up.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await customer.CommandAsync("hangup");
            var hungUp = await CallStreamWaits.WaitForAsync<CallEvent.HungUp>(Store, floor.TenantKey, callId, TimeSpan.FromSeconds(10));
            Assert.Equal((HangUpParty.Customer, CallOutcome.Answered), (hungUp.By, hungUp.Outcome));
            await desk.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
            var events = await CallStreamWaits.CallEventsAsync(Store, floor.TenantKey, callId);
            RobotTelephonyHost.AssertInOrder(events,
                typeof(CallEvent.OutboundCreated), typeof(CallEvent.OfferedToAgent), typeof(CallEvent.ConnectedToAgent), typeof(CallEvent.DialingStarted),
                typeof(CallEvent.Answered), typeof(CallEvent.HungUp));
            Assert.Equal(callerId, events.OfType<CallEvent.DialingStarted>().Single().CallerId);
            var leases = (await Store.ReadStreamAsync(floor.TenantKey, Deciders.NumberLeases.StreamId(floor.PoolId))).Select(e => e.Data).ToList();
            var granted = Assert.Single(leases.OfType<NumberLeaseEvent.LeaseGranted>());
            Assert.Equal((callerId, floor.AgentId.ToString()), (granted.Number, granted.AgentId));
            Assert.Equal(LeaseEndReason.HungUp, Assert.Single(leases.OfType<NumberLeaseEvent.LeaseReleased>()).Reason);
            await AssertChannelSeizedAndReleasedAsync(floor, callId);
            Assert.IsType<AgentPresence.AfterCallWork>(await PresenceAsync(floor));
            ToneAnalysis.AssertTone(desk.DecodedRecording() ?? throw new InvalidOperationException($"the desk phone recorded nothing:\n{desk.Output}"), 700);
            Assert.True(answered.AnsweredAt > placed.At, "answered after the request");

            // The call reached the customer, so the tenant's per-callee limit (one reached call per three days) counts it.
            await ManualCallFloor.JsonAsync(await floor.Agent.PostAsJsonAsync($"/api/v1/agents/{floor.AgentId}/state", new { state = "ready" }));
            var second = await floor.Agent.PostAsJsonAsync("/api/v1/agents/me/calls", new { number = Customer });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
            Assert.Equal("CalleeLimit", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        }
        catch
        {
            Console.WriteLine($"customer:\n{customer.Output}\ndesk:\n{desk.Output}");
            throw;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<Baresip> DeskPhoneAsync(string user, string realm, string wav)
    {
        var phone = await Baresip.StartAsync(wav, _ =>
            $"<sip:{user}@{realm}>;auth_pass={SipPassword};outbound=\"sip:127.0.0.1:{host.Sip.Port}\";regint=60;answermode=auto;audio_codecs=pcmu");
        var registrar = host.Services.GetRequiredService<SipRegistrar>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (registrar.Lookup($"sip:{user}@{realm}").Count == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                await phone.DisposeAsync();
                throw new TimeoutException($"{user} did not register with the host:\n{phone.Output}");
            }

            await Task.Delay(50);
        }

        return phone;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, DateTimeOffset At)> SendAsync(HttpClient client, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/agents/me/calls") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var at = DateTimeOffset.UtcNow;
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), at);
    }

    private async Task<AgentPresence> PresenceAsync(ManualCallFloor floor)
    {
        var (state, _) = await CommandRunner.LoadAsync(Store, Deciders.Agent, floor.TenantKey, Deciders.Agent.StreamId(floor.AgentId), CancellationToken.None);
        return Assert.IsType<Agent.Active>(state).Presence;
    }

    private async Task<long> CallsToAsync(ManualCallFloor floor, string number)
    {
        await using var command = host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "select count(*) from es_events where tenant_id = $1 and type = 'call.outbound_created.v1' and data->>'called' = $2");
        command.Parameters.AddWithValue(floor.TenantKey);
        command.Parameters.AddWithValue(number);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
