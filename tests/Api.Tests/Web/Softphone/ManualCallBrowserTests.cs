using System.Diagnostics;
using System.Text.Json;
using Aicc.Api.Tests.Agents;
using Aicc.Api.Tests.Robots;
using Aicc.Domain.Agents;
using Aicc.Domain.Numbers;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Tests.CallControl.Interop;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using CallStreamEvent = Aicc.Domain.Calls.CallEvent;

namespace Aicc.Api.Tests.Web.Softphone;

/// <summary>
/// A manual outbound call from the console, end to end in the softphone rig (kamailio, rtpengine
/// and Chromium in the test's network namespace, the host with its telephony outside): the agent
/// types a number and clicks Call; the platform rings the page's phone, which answers by itself,
/// then calls the customer (a baresip behind the task's line) from a leased pool number; the
/// customer's tone reaches the page through the bridge, the page renews the lease; then the page
/// is closed without a goodbye, nobody renews the lease, it ends by expiry and the call with it.
/// </summary>
public sealed class ManualCallBrowserTests(ITestOutputHelper output)
{
    private const string Customer = "+861058001234";
    private const double CustomerToneHz = 700;
    private const string Password = "manual call secret 1";

    private static readonly TimeSpan PlacingManualCallTtl = Aicc.Handlers.Switchboard.PlacingManualCall.PlaceManualCall.LeaseTtl;

    [Fact]
    public async Task GivenAnAgentInTheBrowser_WhenTheyDialAndThenCloseThePageMidCall_ThenTheCustomerIsBridgedAndTheLeaseEndsByExpiryAndTheCallWithIt()
    {
        await using var rig = await SoftphoneBrowserTests.Rig.StartAsync(withTelephony: true);
        var tone = Path.Combine(rig.Folder, "customer-tone.wav");
        WavFile.Write(tone, ToneGenerator.Generate(CustomerToneHz, TimeSpan.FromSeconds(120)));
        await using var customer = await Baresip.StartAsync(tone, port => $"<sip:{Customer}@127.0.0.1:{port}>;regint=0;answermode=auto;audio_codecs=pcmu");
        try
        {
            await RunAsync(rig, customer);
        }
        catch
        {
            output.WriteLine($"customer's baresip:\n{customer.Output}");
            output.WriteLine(rig.Edge?.Output ?? "(edge not started)");
            throw;
        }
    }

    private async Task RunAsync(SoftphoneBrowserTests.Rig rig, Baresip customer)
    {
        var store = rig.App.Services.GetRequiredService<PostgresEventStore>();
        using var floor = await ManualCallFloor.CreateAsync(store, rig.BaseAddress, "Dial Co", $"127.0.0.1:{customer.SipPort}", "li.na", Password);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await SoftphoneBrowserTests.LaunchChromiumAsync(playwright, rig);
        var (page, errors) = await SoftphoneBrowserTests.SignInAsync(browser, rig, floor.Tenant.TenantId, "li.na", Password);
        var status = page.Locator("#phone-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "registered", new() { Timeout = 10_000 });
        await page.ClickAsync("#go-ready");
        await Assertions.Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "ready");
        await Assertions.Expect(page.Locator("#dial-call")).ToBeEnabledAsync();

        await page.FillAsync("#dial-number", "010 5800 1234");
        var clicked = Stopwatch.StartNew();
        await page.ClickAsync("#dial-call");
        await customer.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(20));
        var toCustomerAnswered = clicked.Elapsed;
        var dial = page.Locator("#dial");
        await Assertions.Expect(dial).ToHaveAttributeAsync("data-state", "on_call");
        var callId = Guid.Parse((await dial.GetAttributeAsync("data-call-id"))!);
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "connected", new() { Timeout = 5_000 });
        var events = await CallStreamWaits.CallEventsAsync(store, floor.TenantKey, callId);
        var offered = events.OfType<CallStreamEvent.OfferedToAgent>().Single();
        var dialing = events.OfType<CallStreamEvent.DialingStarted>().Single();
        var answered = await CallStreamWaits.WaitForAsync<CallStreamEvent.Answered>(store, floor.TenantKey, callId, TimeSpan.FromSeconds(5));
        Assert.Equal(floor.AgentId, offered.AgentId);
        Assert.Contains(dialing.CallerId, ManualCallFloor.PoolNumbers);
        var popUp = page.Locator("#call");
        await Assertions.Expect(popUp).ToHaveAttributeAsync("data-call-id", callId.ToString(), new() { Timeout = 5_000 });
        await Assertions.Expect(popUp).ToHaveAttributeAsync("data-agent-state", "on_call");
        await Assertions.Expect(page.Locator("#call-customer")).ToHaveTextAsync(Customer);
        await Assertions.Expect(page.Locator("#call-state")).ToHaveTextAsync("Connected");
        await Assertions.Expect(page.Locator("#call-hangup")).ToBeVisibleAsync();
        // Not a hand-over: no reason, no robot transcript; the caller number it goes out with is on the pop-up.
        await Assertions.Expect(page.Locator("#call-context")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#call-transcript")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#call-variables")).ToContainTextAsync(dialing.CallerId);

        // The bridge: the customer's tone is what the page's analyser hears.
        var (peak, heardAfter) = await SoftphoneBrowserTests.PageHearsAsync(page, CustomerToneHz, TimeSpan.FromSeconds(5));
        Assert.True(Math.Abs(peak - CustomerToneHz) <= 20, $"the page's analyser peaks at {peak} Hz, not the customer's {CustomerToneHz} Hz");

        await SoftphoneBrowserTests.ScreenshotAsync(page, "agent-console-manual-call");

        // The page keeps the caller number: a renewal within its period.
        var lease = await WaitForLeaseAsync<NumberLeaseEvent.LeaseRenewed>(store, floor, TimeSpan.FromSeconds(15));
        var granted = (await LeaseEventsAsync(store, floor)).OfType<NumberLeaseEvent.LeaseGranted>().Single();
        Assert.Equal((dialing.CallerId, floor.AgentId.ToString()), (granted.Number, granted.AgentId));
        Assert.Equal(granted.LeaseId, lease.LeaseId);

        // The window closes mid-call without a goodbye (no beforeunload: as a crash or a killed tab).
        await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = false });
        var closed = Stopwatch.StartNew();
        var expired = await WaitForLeaseAsync<NumberLeaseEvent.LeaseExpired>(store, floor, TimeSpan.FromSeconds(45));
        var toExpired = closed.Elapsed;
        // The last renewal (one may have been in flight as the page closed) set the expiry.
        var lastRenewal = (await LeaseEventsAsync(store, floor)).OfType<NumberLeaseEvent.LeaseRenewed>().Last();
        var lastExpiry = lastRenewal.ExpiresAt;
        Assert.True(toExpired <= PlacingManualCallTtl + TimeSpan.FromSeconds(10), $"the lease expired {toExpired} after the page closed");
        Assert.Equal(granted.LeaseId, expired.LeaseId);
        Assert.Equal(lastExpiry, expired.ExpiredAt);
        var hungUp = await CallStreamWaits.WaitForAsync<CallStreamEvent.HungUp>(store, floor.TenantKey, callId, TimeSpan.FromSeconds(10));
        var toHungUp = closed.Elapsed;
        Assert.Equal(Domain.Calls.HangUpParty.Platform, hungUp.By);
        Assert.True(hungUp.HungUpAt <= lastExpiry + TimeSpan.FromSeconds(8), $"the call ended at {hungUp.HungUpAt:O}, its lease expired at {lastExpiry:O}");
        await customer.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(await LeaseEventsAsync(store, floor), e => e is NumberLeaseEvent.LeaseReleased);
        var (seat, _) = await CommandRunner.LoadAsync(store, Deciders.Agent, floor.TenantKey, Deciders.Agent.StreamId(floor.AgentId), CancellationToken.None);
        Assert.IsType<AgentPresence.AfterCallWork>(Assert.IsType<Agent.Active>(seat).Presence);

        output.WriteLine($"click to the customer's answer {toCustomerAnswered.TotalMilliseconds:0} ms; offered {offered.OfferedAt:HH:mm:ss.fff}, " +
            $"customer dialed {(dialing.DialingAt - offered.OfferedAt).TotalMilliseconds:0} ms later (the page answered its phone), answered " +
            $"{(answered.AnsweredAt - dialing.DialingAt).TotalMilliseconds:0} ms after dialing; the customer's tone heard by the page {heardAfter.TotalMilliseconds:0} ms " +
            $"after the check began; page closed -> lease expired {toExpired.TotalSeconds:0.0} s, call ended {toHungUp.TotalSeconds:0.0} s " +
            $"(expiry {(hungUp.HungUpAt - lastExpiry).TotalMilliseconds:0} ms before the hang-up)");
        Assert.Empty(errors);
    }

    private static async Task<List<NumberLeaseEvent>> LeaseEventsAsync(PostgresEventStore store, ManualCallFloor floor) =>
        [.. (await store.ReadStreamAsync(floor.TenantKey, Deciders.NumberLeases.StreamId(floor.PoolId))).Select(e => e.Data).OfType<NumberLeaseEvent>()];

    private static async Task<T> WaitForLeaseAsync<T>(PostgresEventStore store, ManualCallFloor floor, TimeSpan timeout)
        where T : NumberLeaseEvent
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var events = await LeaseEventsAsync(store, floor);
            if (events.OfType<T>().FirstOrDefault() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no {typeof(T).Name} in the pool's leases: {JsonSerializer.Serialize(events.Select(e => e.ToString()))}");
            }

            await Task.Delay(200);
        }
    }
}
