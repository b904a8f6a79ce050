using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Tenants.SeedingDemo;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Sip.UserAgents;
using Aicc.Telephony.Tests.CallControl;
using Aicc.Telephony.Tests.CallControl.Interop;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Robots;

/// <summary>The robot's host with a hand-over that waits long enough for a real agent's phone to ring and answer.</summary>
public sealed class HandOverTelephonyHost() : RobotTelephonyHost(TimeSpan.FromSeconds(20));

/// <summary>
/// The whole way from a robot to a person: a customer's softphone (baresip) calls the demo
/// robot's number and asks for a human; the robot hands the call to the host's call distributor,
/// which rings a second baresip registered with the host's registrar as the demo agent (with the
/// digest credentials set through the API) and bridges the two. Set up, readiness, the
/// transcript and the board are all used through the HTTP API as the agent's console would.
/// </summary>
public sealed class RobotHandOverToAgentTests(HandOverTelephonyHost host) : IClassFixture<HandOverTelephonyHost>, IAsyncLifetime
{
    private const string CallerNumber = "+8613900139000";
    private const string SipPassword = "desk-phone-secret";
    private const double CallerTone = 600;

    private RobotCaller _caller = null!;

    public async Task InitializeAsync() => _caller = await RobotCaller.StartAsync(host, CallerNumber);

    public async Task DisposeAsync() => await _caller.DisposeAsync();

    [Fact]
    public async Task GivenAReadyAgentWithARegisteredDeskPhone_WhenTheCallerAsksTheRobotForAHuman_ThenTheCallIsBridgedToTheAgentWhoHearsTheCallerAndReadsTheTranscript()
    {
        var seat = host.Demo.Accounts.Single(a => a.Login == "agent1");
        var agentId = seat.AgentId!.Value;
        var credentials = await JsonAsync(await host.Client.PutAsJsonAsync(
            $"/api/v1/agents/{agentId}/sip-credentials", new { username = "alice-desk", password = SipPassword }));
        var realm = credentials.GetProperty("realm").GetString()!;
        await using var deskPhone = await DeskPhoneAsync("alice-desk", realm);
        using var agent = await AgentClientAsync(seat.EmployeeId);
        Assert.Equal(HttpStatusCode.OK, (await agent.PostAsJsonAsync($"/api/v1/agents/{agentId}/state", new { state = "ready" })).StatusCode);

        var callId = await _caller.DialRobotAsync();
        var question = await WaitForAsync<CallEvent.PromptPlayed>(callId, TimeSpan.FromSeconds(15), p => p.NodeId == "confirm");
        await Task.Delay(await _caller.RemainingAsync(question, TimeSpan.FromMilliseconds(400)));
        await _caller.SayAsync("I want to speak to a human agent.");

        var connected = await WaitForAsync<CallEvent.ConnectedToAgent>(callId, TimeSpan.FromSeconds(25));
        Assert.Equal(agentId, connected.AgentId);
        await deskPhone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));
        // The caller talks to the agent now: a tone stands for their voice.
        await _caller.PlayToneAsync(CallerTone);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var transcript = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}/transcript");
        var lines = transcript.GetProperty("lines").EnumerateArray().ToList();
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "prompt" && l.GetProperty("speaker").GetString() == "robot");
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "intent" && l.GetProperty("intent").GetString() == "transfer_to_human");
        Assert.Equal(CallerNumber, transcript.GetProperty("variables").GetProperty("caller").GetString());

        await _caller.Phone.CommandAsync("hangup");
        var hungUp = await WaitForAsync<CallEvent.HungUp>(callId, TimeSpan.FromSeconds(10));
        Assert.Equal(HangUpParty.Customer, hungUp.By);
        await deskPhone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));

        var events = await host.CallEventsAsync(callId);
        var heard = Assert.Single(events.OfType<CallEvent.UtteranceRecognised>());
        // The whole sentence: a turn the media path cut short must fail here even when its intent survives.
        Assert.Equal("i want to speak to a human agent", heard.Text);
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "utterance" && l.GetProperty("text").GetString() == heard.Text);
        Assert.Contains(events, e => e is CallEvent.IntentDetected { Intent: "transfer_to_human" });
        Assert.Equal(SeedDemo.SkillGroup, Assert.Single(events.OfType<CallEvent.TransferRequested>()).SkillGroup);
        // A call the robot holds enters the group's queue as the robot's transfer to that group
        // (the call's state becomes queued); only calls nobody held record Queued.
        Assert.Contains(events, e => e is CallEvent.Transferred { To: TransferTarget.ToSkillGroup { SkillGroup: SeedDemo.SkillGroup } });
        Assert.DoesNotContain(events, e => e is CallEvent.Queued);
        Assert.Equal(agentId, Assert.Single(events.OfType<CallEvent.OfferedToAgent>()).AgentId);
        Assert.DoesNotContain(events, e => e is CallEvent.TransferFailed);
        RobotTelephonyHost.AssertInOrder(events,
            typeof(CallEvent.UtteranceRecognised), typeof(CallEvent.IntentDetected), typeof(CallEvent.TransferRequested),
            typeof(CallEvent.Transferred), typeof(CallEvent.OfferedToAgent), typeof(CallEvent.ConnectedToAgent), typeof(CallEvent.HungUp));

        // The call's hang-up and the seat's wrap-up are written by different watchers of the leg
        // (the inbound router, the distributor), and the wrap-up's end reaches the board through
        // the floor projection, so the board may lag the call's stream a little.
        var row = await BoardRowAsync(
            agentId, r => r.GetProperty("state").GetString() != "on_call" && r.GetProperty("afterCallWorkUntil").ValueKind != JsonValueKind.Null, TimeSpan.FromSeconds(5));
        Assert.Equal("after_call_work", row.GetProperty("state").GetString());
        Assert.Equal(callId, row.GetProperty("callId").GetGuid());
        Assert.True(row.GetProperty("afterCallWorkUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var seatEvents = (await host.Store.ReadStreamAsync(host.Tenant, Deciders.Agent.StreamId(agentId), 1, CancellationToken.None)).Select(e => e.Data).ToList();
        Assert.Equal(
            [typeof(AgentEvent.LoggedIn), typeof(AgentEvent.CallOffered), typeof(AgentEvent.CallAccepted), typeof(AgentEvent.CallEnded)],
            seatEvents.SkipWhile(e => e is not AgentEvent.LoggedIn).Select(e => e.GetType()).ToArray());
        Assert.All(seatEvents.OfType<AgentEvent.CallEnded>(), e => Assert.Equal(callId, e.CallId));

        // The caller's voice reached the agent's ear through the bridge.
        ToneAnalysis.AssertTone(deskPhone.DecodedRecording() ?? throw new InvalidOperationException($"the desk phone recorded nothing:\n{deskPhone.Output}"), CallerTone);
    }

    /// <summary>The agent's desk phone: baresip registered with digest at the host's registrar, answering by itself, quiet.</summary>
    private async Task<Baresip> DeskPhoneAsync(string user, string realm)
    {
        var quiet = Path.Combine(_caller.Folder, "desk-quiet.wav");
        WavFile.Write(quiet, new short[8000 * 60]);
        var phone = await Baresip.StartAsync(quiet, _ =>
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

    /// <summary>The seat's row on the agent board once it matches <paramref name="until"/> (or when time is up).</summary>
    private async Task<JsonElement> BoardRowAsync(Guid agentId, Func<JsonElement, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var board = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/agents");
            var row = board.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == agentId);
            if (until(row) || DateTime.UtcNow > deadline)
            {
                return row;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The agent's own API client, with a key the admin issues them.</summary>
    private async Task<HttpClient> AgentClientAsync(Guid employeeId)
    {
        var issued = await JsonAsync(await host.Client.PostAsJsonAsync($"/api/v1/employees/{employeeId}/api-keys", new { label = "console" }));
        var client = new HttpClient { BaseAddress = host.Client.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", issued.GetProperty("apiKey").GetString());
        return client;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Waits for a call event; a failure shows what both phones printed as well.</summary>
    private async Task<T> WaitForAsync<T>(Guid callId, TimeSpan timeout, Func<T, bool>? match = null)
        where T : CallEvent
    {
        try
        {
            return await host.WaitForAsync(callId, timeout, match);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\ncaller's baresip:\n{_caller.Phone.Output}", e);
        }
    }
}
