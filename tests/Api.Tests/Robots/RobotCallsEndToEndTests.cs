using System.Net;
using System.Threading.Channels;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Domain.Calls;
using Aicc.Domain.Compliance;
using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Robots;
using Aicc.Domain.Tasks;
using Aicc.Handlers.CallControl;
using Aicc.Telephony.CallControl;
using Microsoft.Extensions.DependencyInjection;
using CallEvent = Aicc.Domain.Calls.CallEvent;
using LegEvent = Aicc.Telephony.CallControl.CallEvent;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Switchboard;
using Aicc.Handlers.Tenants.CreatingTenant;
using Aicc.Handlers.Tenants.SeedingDemo;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Speech;
using Aicc.Telephony.Tests.CallControl.Interop;

namespace Aicc.Api.Tests.Robots;

/// <summary>
/// The demo robot over real SIP and RTP: a real softphone (baresip) calls the robot's number on
/// the host's SIP port and speaks flite-synthesised sentences (switched in as its audio source
/// at the moment the caller "talks"), presses keys, or stays silent. What the robot heard and
/// did is read back from the call's event stream, the transcript API and the do-not-call list.
/// </summary>
public sealed class RobotCallsEndToEndTests(RobotTelephonyHost host) : IClassFixture<RobotTelephonyHost>, IAsyncLifetime
{
    private const string CallerNumber = "+8613800138000";

    private RobotCaller _caller = null!;

    public async Task InitializeAsync() => _caller = await RobotCaller.StartAsync(host, CallerNumber);

    public async Task DisposeAsync() => await _caller.DisposeAsync();

    [Fact]
    public async Task GivenTheCallerAsksForAHuman_WhenNoAgentAnswers_ThenTheRobotSaysSoAndTheCallerTakesACallBackByKey()
    {
        var callId = await _caller.DialRobotAsync();
        var question = await WaitForAsync<CallEvent.PromptPlayed>(callId, TimeSpan.FromSeconds(15), p => p.NodeId == "confirm");
        // A polite caller lets the robot finish its question first.
        await Task.Delay(await _caller.RemainingAsync(question, TimeSpan.FromMilliseconds(400)));
        await _caller.SayAsync("I want to speak to a human agent.");

        await WaitForAsync<CallEvent.IntentDetected>(callId, TimeSpan.FromSeconds(15), i => i.Intent == "transfer_to_human");
        await WaitForAsync<CallEvent.PromptPlayed>(callId, TimeSpan.FromSeconds(15), p => p.NodeId == "no_agent");
        await _caller.Phone.CommandAsync("sndcode", "1");
        var hungUp = await WaitForAsync<CallEvent.HungUp>(callId, TimeSpan.FromSeconds(20));
        await _caller.Phone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));

        var events = await host.CallEventsAsync(callId);
        var heard = Assert.Single(events.OfType<CallEvent.UtteranceRecognised>());
        // The whole sentence: a turn the media path cut short must fail here even when its intent survives.
        Assert.Equal("i want to speak to a human agent", heard.Text);
        Assert.True(heard.SpeechStartedAt < heard.SpeechEndedAt && heard.SpeechEndedAt <= heard.RecognisedAt);
        var requested = Assert.Single(events.OfType<CallEvent.TransferRequested>());
        Assert.Equal(("sales", "caller wants a human"), (requested.SkillGroup, requested.Reason));
        Assert.Equal(CallerNumber, requested.Context["caller"]);
        Assert.Contains(events, e => e is CallEvent.Transferred { To: TransferTarget.ToSkillGroup { SkillGroup: "sales" } });
        Assert.Equal("sales", Assert.Single(events.OfType<CallEvent.TransferFailed>()).SkillGroup);
        Assert.Equal("1", Assert.Single(events.OfType<CallEvent.DtmfReceived>()).Digits);
        Assert.Contains(events, e => e is CallEvent.IntentDetected { NodeId: "no_agent", Intent: "affirm" });
        var callback = Assert.Single(events.OfType<CallEvent.CallbackScheduled>());
        Assert.Equal(CallerNumber, callback.Number);
        Assert.InRange(callback.DueAt - callback.ScheduledAt, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        Assert.Equal(HangUpParty.Seat, hungUp.By);
        RobotTelephonyHost.AssertInOrder(events, typeof(CallEvent.TransferRequested), typeof(CallEvent.TransferFailed), typeof(CallEvent.CallbackScheduled), typeof(CallEvent.HungUp));

        await using (var pending = host.Store.DataSource.CreateCommand(
            "select count(*) from scheduled_messages where message_type = $1 and dedupe_key = $2"))
        {
            pending.Parameters.AddWithValue(RobotSessions.CallbackMessageType);
            pending.Parameters.AddWithValue($"robot-callback-{callId}");
            Assert.Equal(1L, await pending.ExecuteScalarAsync());
        }

        var transcript = await host.Client.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}/transcript");
        var lines = transcript.GetProperty("lines").EnumerateArray().ToList();
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "intent" && l.GetProperty("intent").GetString() == "transfer_to_human");
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "utterance" && l.GetProperty("text").GetString() == heard.Text);
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "prompt" && l.GetProperty("speaker").GetString() == "robot");
        Assert.Equal(CallerNumber, transcript.GetProperty("variables").GetProperty("caller").GetString());

        // Another tenant's staff cannot read it.
        var other = await CreateTenant.HandleAsync(host.Store, "Other Co", "admin", null, TimeProvider.System, CancellationToken.None);
        using var outsider = new HttpClient { BaseAddress = host.Client.BaseAddress };
        outsider.DefaultRequestHeaders.Add("X-Api-Key", other.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/v1/calls/{callId}/transcript")).StatusCode);
    }

    [Fact]
    public async Task GivenTheCallerTalksOverTheQuestion_WhenTheyAskNotToBeCalled_ThenThePromptStopsTheCallEndsAndTheNumberIsListed()
    {
        var callId = await _caller.DialRobotAsync();
        var question = await WaitForAsync<CallEvent.PromptPlayed>(callId, TimeSpan.FromSeconds(15), p => p.NodeId == "confirm");
        var intoTheQuestion = question.PlayedAt + TimeSpan.FromSeconds(1.5) - DateTimeOffset.UtcNow;
        await Task.Delay(intoTheQuestion > TimeSpan.Zero ? intoTheQuestion : TimeSpan.Zero);
        await _caller.SayAsync("put me on the do not call list");

        var interrupted = await WaitForAsync<CallEvent.PromptInterrupted>(callId, TimeSpan.FromSeconds(10), p => p.NodeId == "confirm");
        await WaitForAsync<CallEvent.IntentDetected>(callId, TimeSpan.FromSeconds(15), i => i.Intent == "do_not_call");
        var hungUp = await WaitForAsync<CallEvent.HungUp>(callId, TimeSpan.FromSeconds(15));
        await _caller.Phone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));

        var events = await host.CallEventsAsync(callId);
        var heard = Assert.Single(events.OfType<CallEvent.UtteranceRecognised>());
        // The prompt stopped at the caller's first syllable, long before the question would have ended.
        var questionEnds = question.PlayedAt + await _caller.DurationAsync(question);
        Assert.True(interrupted.InterruptedAt < questionEnds, $"barge-in at {interrupted.InterruptedAt:O}, question ends {questionEnds:O}");
        Assert.True(interrupted.InterruptedAt <= heard.RecognisedAt);
        Assert.Contains(events, e => e is CallEvent.PromptPlayed { NodeId: "dnc_bye" });
        Assert.Equal(HangUpParty.Seat, hungUp.By);

        var lists = await host.Store.ReadStreamAsync(host.Tenant, $"dial_lists-{host.Tenant}", 1, CancellationToken.None);
        var listed = Assert.Single(lists.Select(e => e.Data).OfType<DialListEvent.NumberListed>(), l => l.Number == CallerNumber);
        Assert.Equal((DialListKind.DoNotCall, ListingSource.Robot), (listed.List, listed.Source));
    }

    [Fact]
    public async Task GivenASilentCaller_WhenTheQuestionTimesOut_ThenTheRobotAsksAgainAndTheCallersByeClosesTheCall()
    {
        var callId = await _caller.DialRobotAsync();
        var question = await WaitForAsync<CallEvent.PromptPlayed>(callId, TimeSpan.FromSeconds(15), p => p.NodeId == "confirm");
        var again = await WaitForAsync<CallEvent.PromptPlayed>(
            callId, TimeSpan.FromSeconds(25), p => p.NodeId == "confirm" && p.Text.StartsWith("Hello, are you there?", StringComparison.Ordinal));

        // The script's 5 s of silence count from the question's end.
        Assert.True(again.PlayedAt - question.PlayedAt >= TimeSpan.FromSeconds(5) + await _caller.DurationAsync(question) - TimeSpan.FromSeconds(1));
        await _caller.Phone.CommandAsync("hangup");
        var hungUp = await WaitForAsync<CallEvent.HungUp>(callId, TimeSpan.FromSeconds(10));
        Assert.Equal(HangUpParty.Customer, hungUp.By);
        var events = await host.CallEventsAsync(callId);
        Assert.DoesNotContain(events, e => e is CallEvent.UtteranceRecognised or CallEvent.IntentDetected);
    }

    [Fact]
    public async Task GivenTheRobotHoldsAllTheCallsItMay_WhenAnotherCallerDials_ThenTheNumbersOverflowGroupQueuesIt()
    {
        await ChangeCapacityAsync(1);
        try
        {
            var first = await _caller.DialRobotAsync();
            await WaitForAsync<CallEvent.ConnectedToRobot>(first, TimeSpan.FromSeconds(10));
            var before = DateTimeOffset.UtcNow;
            await _caller.Phone.CommandAsync("dial", $"sip:{SeedDemo.DemoRobotNumber}@127.0.0.1:{host.Sip.Port}");

            // The host runs the call distributor: the full robot's number overflows to its skill
            // group, where nobody is ready, so the call waits there until the queue's time-out.
            var second = await host.InboundCallAsync(CallerNumber, before, TimeSpan.FromSeconds(5));
            var queued = await WaitForAsync<CallEvent.Queued>(second, TimeSpan.FromSeconds(10));
            Assert.Equal(SeedDemo.SkillGroup, queued.SkillGroup);
            await WaitForAsync<CallEvent.HungUp>(second, TimeSpan.FromSeconds(10));
            Assert.DoesNotContain(await host.CallEventsAsync(second), e => e is CallEvent.ConnectedToRobot or CallEvent.ConnectedToAgent);
            await _caller.Phone.CommandAsync("hangup");
            await WaitForAsync<CallEvent.HungUp>(first, TimeSpan.FromSeconds(10));
        }
        finally
        {
            await ChangeCapacityAsync(20);
        }
    }

    [Fact]
    public async Task GivenARobotTask_WhenTheDialerHandsOverAnAnsweredCall_ThenTheRobotGreetsTheCustomerByNameAndFollowsTheirKey()
    {
        var tenant = SeedDemo.DemoTenantId;
        var taskId = Guid.CreateVersion7();
        var callId = Guid.CreateVersion7();
        var customerId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        var admin = host.Demo.Accounts.Single(a => a.Login == "admin").EmployeeId;
        await CommandRunner.RunAsync(host.Store, Deciders.Task, host.Tenant, Deciders.Task.StreamId(taskId),
            new CallTaskCommand.Create(taskId, tenant, "Robot offer", admin, now));
        await CommandRunner.RunAsync(host.Store, Deciders.Task, host.Tenant, Deciders.Task.StreamId(taskId),
            new CallTaskCommand.SetHandler(taskId, new TaskHandler.Robot(host.Demo.RobotId), now));
        var customer = new Dictionary<string, string> { ["name"] = "Alex", ["company"] = "Acme", ["product"] = "fibre", ["price"] = "ten dollars" };
        // What the dialer does before and after dialing: the call's stream, then the leg, then the answer.
        await host.RunCallAsync(callId,
            new CallCommand.CreateOutbound(callId, tenant, taskId, customerId, PhoneNumber.Parse(CallerNumber), new ValueMap(customer), now),
            new CallCommand.Dial(callId, 1, host.Demo.LineId, PhoneNumber.Parse("+862160000000"), now));
        var hub = host.Services.GetRequiredService<CallEventHub>();
        var inbox = Channel.CreateUnbounded<LegEvent>();
        var leg = await hub.Control.OriginateAsync(new OriginateRequest(CallerNumber, new IPEndPoint(IPAddress.Loopback, _caller.Phone.SipPort), "+862160000000"));
        using var watch = hub.Watch(leg, inbox.Writer);
        await NextAsync<LegEvent.Answered>(inbox.Reader);
        await host.RunCallAsync(callId, new CallCommand.Answer(callId, DateTimeOffset.UtcNow));

        await host.Services.GetRequiredService<IAnsweredCallRouter>().TakeOverAsync(
            new AnsweredCall(tenant, taskId, callId, customerId, leg, CallerNumber, customer, DateTimeOffset.UtcNow), CancellationToken.None);

        var greeting = await WaitForAsync<CallEvent.PromptPlayed>(callId, TimeSpan.FromSeconds(10), p => p.NodeId == "greet");
        Assert.Equal("Hello Alex, this is Anna, a virtual assistant calling from Acme.", greeting.Text);
        await WaitForAsync<CallEvent.PromptPlayed>(callId, TimeSpan.FromSeconds(15), p => p.NodeId == "confirm");
        await _caller.Phone.CommandAsync("sndcode", "2");
        var bye = await NextAsync<LegEvent.Hungup>(inbox.Reader, TimeSpan.FromSeconds(20));
        Assert.Equal(CallEndedBy.Local, bye.By);

        var events = await host.CallEventsAsync(callId);
        Assert.Contains(events, e => e is CallEvent.ConnectedToRobot r && r.RobotId == host.Demo.RobotId);
        Assert.Equal("2", Assert.Single(events.OfType<CallEvent.DtmfReceived>()).Digits);
        Assert.Contains(events, e => e is CallEvent.IntentDetected { NodeId: "confirm", Intent: "deny", Confidence: 1.0 });
        Assert.Contains(events, e => e is CallEvent.PromptPlayed { NodeId: "wrong_number_bye" });
    }

    [Fact]
    public async Task GivenANumberNobodyHas_WhenCalled_ThenItIsRefusedNotFoundWithoutACallStream()
    {
        var before = DateTimeOffset.UtcNow;
        await _caller.Phone.CommandAsync("dial", $"sip:+861099999999@127.0.0.1:{host.Sip.Port}");
        var closed = await _caller.Phone.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(10));
        Assert.Contains("404", closed.GetRawText(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<TimeoutException>(() => host.InboundCallAsync(CallerNumber, before, TimeSpan.FromSeconds(1)));
    }

    private async Task<T> NextAsync<T>(ChannelReader<LegEvent> inbox, TimeSpan? timeout = null)
        where T : LegEvent
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var seen = new List<LegEvent>();
        try
        {
            while (true)
            {
                var e = await inbox.ReadAsync(cancel.Token);
                if (e is T wanted)
                {
                    return wanted;
                }

                seen.Add(e);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the leg had no {typeof(T).Name}; it had {string.Join(", ", seen)}\nbaresip:\n{_caller.Phone.Output}");
        }
    }

    /// <summary>Waits for a call event; a failure shows what the phone printed as well.</summary>
    private async Task<T> WaitForAsync<T>(Guid callId, TimeSpan timeout, Func<T, bool>? match = null)
        where T : CallEvent
    {
        try
        {
            return await host.WaitForAsync(callId, timeout, match);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nbaresip:\n{_caller.Phone.Output}", e);
        }
    }

    private Task ChangeCapacityAsync(int capacity) =>
        CommandRunner.RunAsync(host.Store, Deciders.Robot, host.Tenant, Deciders.Robot.StreamId(host.Demo.RobotId),
            new RobotCommand.ChangeCapacity(host.Demo.RobotId, capacity, DateTimeOffset.UtcNow));
}
