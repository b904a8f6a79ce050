using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Aicc.Api.Edge;
using Aicc.Api.Hosting;
using Aicc.Api.Tests.Robots;
using Aicc.Domain.Agents;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Switchboard;
using Aicc.Handlers.Tenants.CreatingTenant;
using Aicc.Handlers.Tenants.SeedingDemo;
using Aicc.Telephony.Audio;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;
using Aicc.Telephony.Speech;
using Aicc.Telephony.Tests.CallControl.Interop;
using Aicc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using CallStreamEvent = Aicc.Domain.Calls.CallEvent;

namespace Aicc.Api.Tests.Web.Softphone;

/// <summary>
/// The agent's browser phone end to end: kamailio, rtpengine and headless Chromium in a network
/// namespace of the test's own, the platform (host and its SIP call control) on the other end of
/// the veth pair. The agent signs in on /agent, the page registers; the platform calls the agent
/// through the edge; the page rings, the test answers, audio crosses both ways, the keypad's DTMF
/// reaches the platform, the agent hangs up. With the host's own telephony in the rig, a baresip
/// caller on the host asks the demo robot for a human: the robot hands the call to the ready
/// agent's browser phone, the page rings with the robot's transcript, the agent talks, hangs up,
/// saves a disposition, and the call record shows it.
/// </summary>
public sealed class SoftphoneBrowserTests(ITestOutputHelper output)
{
    private const double PlatformToneHz = 850;
    private const double BrowserToneHz = 600;

    [Fact]
    public async Task GivenAgentSignedInOnTheConsole_WhenThePlatformCallsThroughTheEdge_ThenThePageRingsAnswersAndAudioCrossesBothWays()
    {
        await using var rig = await Rig.StartAsync();
        try
        {
            await RunCallAsync(rig);
        }
        catch
        {
            output.WriteLine(rig.Edge?.Output ?? "(edge not started)");
            throw;
        }
    }

    [Fact]
    public async Task GivenAReadyAgentInTheBrowser_WhenARobotHandsACallerOver_ThenThePageRingsWithTheTranscriptAndTheCallIsRecordedWithTheDisposition()
    {
        await using var rig = await Rig.StartAsync(withTelephony: true);
        try
        {
            await RunHandOverAsync(rig);
        }
        catch
        {
            output.WriteLine(rig.Edge?.Output ?? "(edge not started)");
            throw;
        }
    }

    private async Task RunHandOverAsync(Rig rig)
    {
        const string callerNumber = "+8613900139000";
        var store = rig.App.Services.GetRequiredService<PostgresEventStore>();
        var demo = await SeedDemo.HandleAsync(store, TimeProvider.System, CancellationToken.None)
            ?? throw new InvalidOperationException("the fresh database already had the demo tenant");
        var tenant = demo.TenantId.ToString();
        var agent = demo.Accounts.First(a => a.AgentId is not null);
        using var admin = new HttpClient { BaseAddress = rig.BaseAddress };
        admin.DefaultRequestHeaders.Add("X-Api-Key", demo.ApiKey);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright, rig);
        var (page, errors) = await SignInAsync(browser, rig, demo.TenantId, agent.Login, agent.Password);
        var status = page.Locator("#phone-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "registered", new() { Timeout = 10_000 });
        await page.ClickAsync("#go-ready");
        await Assertions.Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "ready");

        // The caller is a real softphone on the host, outside the namespace: quiet until it speaks.
        var silence = Path.Combine(rig.Folder, "caller-silence.wav");
        WavFile.Write(silence, new short[8000 * 60]);
        await using var caller = await Baresip.StartAsync(silence, port => $"<sip:{callerNumber}@127.0.0.1:{port}>;regint=0;answermode=auto;audio_codecs=pcmu");
        try
        {
            var sip = rig.App.Services.SipEndPoint();
            var before = DateTimeOffset.UtcNow;
            await caller.CommandAsync("dial", $"sip:{SeedDemo.DemoRobotNumber}@{sip}");
            await caller.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(10));
            var callId = await CallStreamWaits.InboundCallAsync(store, tenant, callerNumber, before, TimeSpan.FromSeconds(10));
            var question = await CallStreamWaits.WaitForAsync<CallStreamEvent.PromptPlayed>(store, tenant, callId, TimeSpan.FromSeconds(15), p => p.NodeId == "confirm");
            var flite = new FliteSynthesizer();
            var questionLasts = TimeSpan.FromSeconds((await flite.SynthesizeAsync(question.Text, question.Voice)).Samples.Length / 8000.0);
            var wait = question.PlayedAt + questionLasts + TimeSpan.FromMilliseconds(400) - DateTimeOffset.UtcNow;
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
            var speech = await flite.SynthesizeAsync("I want to speak to a human agent.", "kal16");
            var sentence = Path.Combine(rig.Folder, "caller-sentence.wav");
            WavFile.Write(sentence, [.. speech.Samples, .. new short[8000 * 30]]);
            await caller.CommandAsync("ausrc", $"aufile,{sentence}");

            // The robot hears the wish, hands the caller to its skill group, and the distributor
            // rings the ready agent's browser phone through the edge.
            await CallStreamWaits.WaitForAsync<CallStreamEvent.IntentDetected>(store, tenant, callId, TimeSpan.FromSeconds(15), i => i.Intent == "transfer_to_human");
            var sent = Stopwatch.StartNew();
            await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "ringing", new() { Timeout = 15_000 });
            var toRinging = sent.Elapsed;
            var popUp = page.Locator("#call");
            await Assertions.Expect(popUp).ToHaveAttributeAsync("data-call-id", callId.ToString());
            await Assertions.Expect(popUp).ToHaveAttributeAsync("data-agent-state", "ringing");
            await Assertions.Expect(page.Locator("#call-customer")).ToHaveTextAsync(callerNumber);
            await Assertions.Expect(page.Locator("#call-transcript")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#transcript-intents .intent[data-intent=transfer_to_human]")).ToBeVisibleAsync();
            var heard = (await CallStreamWaits.CallEventsAsync(store, tenant, callId)).OfType<CallStreamEvent.UtteranceRecognised>().Single();
            // The whole sentence: a turn the media path cut short must fail here even when its intent survives.
            Assert.Equal("i want to speak to a human agent", heard.Text);
            await Assertions.Expect(page.Locator("#transcript-lines li[data-kind=utterance]")).ToContainTextAsync(heard.Text);
            await ScreenshotAsync(page, "agent-console-hand-over-ringing");

            await page.ClickAsync("#phone-answer");
            await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "connected", new() { Timeout = 10_000 });
            var connected = await CallStreamWaits.WaitForAsync<CallStreamEvent.ConnectedToAgent>(store, tenant, callId, TimeSpan.FromSeconds(10));
            Assert.Equal(agent.AgentId, connected.AgentId);
            await Assertions.Expect(popUp).ToHaveAttributeAsync("data-agent-state", "on_call");

            // Caller -> page: the caller switches to a tone the page's analyser must find.
            // Page -> caller: the caller's recording holds the page's microphone tone.
            var tone = Path.Combine(rig.Folder, "caller-tone.wav");
            WavFile.Write(tone, ToneGenerator.Generate(PlatformToneHz, TimeSpan.FromSeconds(30)));
            await caller.CommandAsync("ausrc", $"aufile,{tone}");
            var (pageHeard, toneHeardAfter) = await PageHearsAsync(page, PlatformToneHz, TimeSpan.FromSeconds(5));
            Assert.True(Math.Abs(pageHeard - PlatformToneHz) <= 20, $"the page's analyser peaks at {pageHeard} Hz, not the caller's {PlatformToneHz} Hz");
            await ScreenshotAsync(page, "agent-console-hand-over-on-call");
            await Task.Delay(1500);

            await page.ClickAsync("#phone-hangup");
            await caller.NextEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(10));
            var hungUp = await CallStreamWaits.WaitForAsync<CallStreamEvent.HungUp>(store, tenant, callId, TimeSpan.FromSeconds(10));
            await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "registered");

            var recording = caller.DecodedRecording() ?? throw new Xunit.Sdk.XunitException("baresip recorded nothing of the call");
            var (_, voiced, seen) = DominantShare(recording, BrowserToneHz);
            var pageToneWindows = seen.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Count(d => Math.Abs(double.Parse(d, CultureInfo.InvariantCulture) - BrowserToneHz) <= 15);
            Assert.True(pageToneWindows >= 10, $"the caller heard {pageToneWindows} of {voiced} voiced windows at the page's {BrowserToneHz} Hz; dominants {seen}");

            // Wrap-up: the pop-up stays with the ended call and its disposition form.
            var form = page.Locator("#disposition");
            await Assertions.Expect(form).ToBeVisibleAsync(new() { Timeout = 10_000 });
            string disposition;
            if (await page.Locator("#disposition-choice").IsVisibleAsync())
            {
                disposition = (await page.Locator("#disposition-choice option").Nth(1).GetAttributeAsync("value"))!;
                await page.SelectOptionAsync("#disposition-choice", disposition);
            }
            else
            {
                disposition = "wants a call back";
                await page.FillAsync("#disposition-text", disposition);
            }

            await page.FillAsync("#disposition-note", "handed over by the robot");
            await page.ClickAsync("#disposition button[type=submit]");
            await Assertions.Expect(page.Locator("#disposition-saved")).ToHaveAttributeAsync("data-saved", disposition);
            await Assertions.Expect(page.Locator($"#recent-calls tr[data-call-id='{callId}'] td.disposition")).ToHaveTextAsync(disposition, new() { Timeout = 10_000 });

            // The call record, as the platform's API gives it: the agent, the times, the disposition.
            JsonElement record = default;
            for (var attempt = 0; attempt < 50; attempt++)
            {
                record = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}");
                if (record.GetProperty("disposition").ValueKind == JsonValueKind.String && record.GetProperty("state").GetString() == "close")
                {
                    break;
                }

                await Task.Delay(200);
            }

            Assert.Equal(disposition, record.GetProperty("disposition").GetString());
            Assert.Equal("handed over by the robot", record.GetProperty("dispositionNote").GetString());
            Assert.Equal(agent.AgentId, record.GetProperty("agentId").GetGuid());
            Assert.Equal(callerNumber, record.GetProperty("caller").GetString());
            Assert.Equal(demo.RobotId, record.GetProperty("robotId").GetGuid());
            var agentsCalls = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/calls?agentId={agent.AgentId}");
            var listed = Assert.Single(agentsCalls.GetProperty("items").EnumerateArray());
            Assert.Equal((callId, disposition), (listed.GetProperty("id").GetGuid(), listed.GetProperty("disposition").GetString()));
            var connTime = record.GetProperty("connTime").GetDateTimeOffset();
            var closeTime = record.GetProperty("closeTime").GetDateTimeOffset();
            Assert.True(connTime < closeTime, $"connected {connTime:O}, closed {closeTime:O}");
            Assert.True(record.GetProperty("duration").GetInt32() >= 1, record.GetRawText());
            output.WriteLine($"intent to ringing on the page: {toRinging.TotalMilliseconds:0} ms; caller's tone found by the page {toneHeardAfter.TotalMilliseconds:0} ms " +
                $"after the switch; the caller heard the page's tone in {pageToneWindows} of {voiced} voiced 100 ms windows; hung up by {hungUp.By}; record {record.GetRawText()}");
            Assert.Empty(errors);
        }
        catch
        {
            output.WriteLine($"baresip:\n{caller.Output}");
            throw;
        }
    }

    private async Task RunCallAsync(Rig rig)
    {
        var tenant = await CreateTenant.HandleAsync(
            rig.App.Services.GetRequiredService<PostgresEventStore>(), "Softphone Co", "admin", null, TimeProvider.System, CancellationToken.None);
        using var admin = new HttpClient { BaseAddress = rig.BaseAddress };
        admin.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);
        var registered = await admin.PostAsJsonAsync("/api/v1/employees", new { login = "li.na", password = "softphone secret 1", role = "agent" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var employeeId = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var seated = await admin.PostAsJsonAsync("/api/v1/agents", new { employeeId, skillGroups = new[] { "sales" } });
        Assert.Equal(HttpStatusCode.Created, seated.StatusCode);
        var agentId = JsonDocument.Parse(await seated.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright, rig);
        var (page, errors) = await SignInAsync(browser, rig, tenant.TenantId, "li.na", "softphone secret 1");
        var status = page.Locator("#phone-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "registered", new() { Timeout = 10_000 });
        await page.ClickAsync("#go-ready");
        await Assertions.Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "ready");

        // The platform rings the agent through the call distributor's phones port with the edge
        // proxy: the INVITE goes to kamailio for the seat's SIP user under the tenant's domain.
        var events = new LegEvents(rig.Control.Events);
        var phones = new EdgeProxyAgentPhones(rig.Control, AgentSipDomains.Default, rig.Edge!.Settings.SipEndPoint);
        var seatUser = await SeatSipUserAsync(rig, tenant.TenantId, agentId);
        var customer = new QueuedCall(tenant.TenantId, Guid.CreateVersion7(), new CallLegId(1), "sales", "861055501234", null, new Dictionary<string, string>(), null, DateTimeOffset.UtcNow);
        var sent = Stopwatch.StartNew();
        var leg = await phones.RingAsync(new AgentSeat(tenant.TenantId, agentId, "Li Na", seatUser), customer, TimeSpan.FromSeconds(20), CancellationToken.None);
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "ringing", new() { Timeout = 10_000 });
        var toRinging = sent.Elapsed;
        await Assertions.Expect(page.Locator("#phone-caller")).ToHaveTextAsync("sales");
        await events.NextAsync<CallEvent.Ringing>(leg);
        await ScreenshotAsync(page, "agent-console-ringing");

        await page.ClickAsync("#phone-answer");
        var answered = await events.NextAsync<CallEvent.Answered>(leg);
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "connected");

        // Platform -> browser: the page's analyser finds our tone. Browser -> platform: the leg's
        // recording holds the page's (fake microphone) tone.
        var heard = Path.Combine(rig.Folder, "agent-leg.wav");
        var recording = await rig.Control.RecordLegAsync(leg, heard);
        var tone = Path.Combine(rig.Folder, "platform-tone.wav");
        WavFile.Write(tone, ToneGenerator.Generate(PlatformToneHz, TimeSpan.FromSeconds(3)));
        var playing = rig.Control.PlayFileAsync(leg, tone);
        var (pageHeard, toneHeardAfter) = await PageHearsAsync(page, PlatformToneHz, TimeSpan.FromSeconds(3));
        Assert.True(Math.Abs(pageHeard - PlatformToneHz) <= 20, $"the page's analyser peaks at {pageHeard} Hz, not {PlatformToneHz} Hz");
        await ScreenshotAsync(page, "agent-console-on-call");
        Assert.True((await playing).Completed);
        await recording.StopAsync();

        // Muted, the agent's microphone goes silent on the platform's side of the call.
        await page.ClickAsync("#phone-mute");
        await Assertions.Expect(page.Locator("#phone-mute")).ToHaveAttributeAsync("aria-pressed", "true");
        await Task.Delay(300);
        var mutedWav = Path.Combine(rig.Folder, "agent-leg-muted.wav");
        var muted = await rig.Control.RecordLegAsync(leg, mutedWav);
        await Task.Delay(1000);
        await muted.StopAsync();
        var (_, voicedWhileMuted, seenWhileMuted) = DominantShare(mutedWav, BrowserToneHz);
        Assert.True(voicedWhileMuted == 0, $"muted, the platform still heard {voicedWhileMuted} voiced windows ({seenWhileMuted})");

        // Unmuting while the platform records: how long the page's audio takes to reach the platform.
        var unmutedWav = Path.Combine(rig.Folder, "agent-leg-unmuted.wav");
        var unmuted = await rig.Control.RecordLegAsync(leg, unmutedWav);
        var recordingClock = Stopwatch.StartNew();
        await Task.Delay(200);
        var clicked = recordingClock.Elapsed;
        await page.ClickAsync("#phone-mute");
        await Assertions.Expect(page.Locator("#phone-mute")).ToHaveAttributeAsync("aria-pressed", "false");
        await Task.Delay(1000);
        await unmuted.StopAsync();
        var browserToPlatform = FirstVoiced(unmutedWav) - clicked;

        // On hold the agent's end goes quiet both ways; the call itself stays up.
        await page.ClickAsync("#phone-hold");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "held");
        await Assertions.Expect(page.Locator("#phone-hold")).ToHaveAttributeAsync("aria-pressed", "true");
        await Task.Delay(300);
        var heldWav = Path.Combine(rig.Folder, "agent-leg-held.wav");
        var held = await rig.Control.RecordLegAsync(leg, heldWav);
        await Task.Delay(1000);
        await held.StopAsync();
        Assert.Equal(0, DominantShare(heldWav, BrowserToneHz).Voiced);
        await page.ClickAsync("#phone-hold");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "connected");

        await page.ClickAsync("#phone-keypad button[data-digit='5']");
        var digit = await events.NextAsync<CallEvent.DtmfReceived>(leg);
        Assert.Equal('5', digit.Digit);

        await page.ClickAsync("#phone-hangup");
        var ended = await events.NextAsync<CallEvent.Hungup>(leg);
        Assert.Equal((CallCloseReason.Normal, CallEndedBy.Remote), (ended.Reason, ended.By));
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "registered");
        await page.ClickAsync("#language");
        await Assertions.Expect(status).ToHaveTextAsync("电话就绪");

        // A reload signs in from the session cookie, without the login form: the phone registers again.
        await page.ReloadAsync();
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "registered", new() { Timeout = 10_000 });

        var (share, voiced, seen) = DominantShare(heard, BrowserToneHz);
        Assert.True(voiced >= 10 && share >= 0.8, $"agent leg recording: {share:P0} of {voiced} voiced windows at {BrowserToneHz} Hz; dominants {seen}");
        output.WriteLine($"INVITE to ringing on the page: {toRinging.TotalMilliseconds:0} ms; codec {answered.Codec}; " +
            $"platform tone found by the page's analyser {toneHeardAfter.TotalMilliseconds:0} ms after playback started " +
            $"(coarse: the page meters every 250 ms, the test polls every 100 ms); the page's audio reached the platform " +
            $"{browserToPlatform.TotalMilliseconds:0} ms after the unmute click");
        Assert.Empty(errors);
    }

    /// <summary>Polls the page's analyser until it peaks at <paramref name="frequencyHz"/> loudly enough, or <paramref name="within"/> passes.</summary>
    internal static async Task<(int PeakHz, TimeSpan After)> PageHearsAsync(IPage page, double frequencyHz, TimeSpan within)
    {
        var started = Stopwatch.StartNew();
        var meter = page.Locator("#phone-audio");
        var peak = 0;
        while (started.Elapsed < within)
        {
            peak = int.Parse(await meter.GetAttributeAsync("data-peak-hz") ?? "0", CultureInfo.InvariantCulture);
            var level = int.Parse(await meter.GetAttributeAsync("data-level-db") ?? "-100", CultureInfo.InvariantCulture);
            if (Math.Abs(peak - frequencyHz) <= 20 && level > -50)
            {
                break;
            }

            await Task.Delay(100);
        }

        return (peak, started.Elapsed);
    }

    /// <summary>Headless Chromium inside the namespace, its fake microphone playing <see cref="BrowserToneHz"/>.</summary>
    internal static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright, Rig rig) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = rig.ChromiumInNamespace,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                $"--use-file-for-fake-audio-capture={rig.MicrophoneWav}", "--autoplay-policy=no-user-gesture-required",
                // getUserMedia needs a secure context; the platform is plain http on the veth address.
                $"--unsafely-treat-insecure-origin-as-secure={rig.BaseAddress.GetLeftPart(UriPartial.Authority)}",
            ],
        });

    /// <summary>Signs the agent in on /agent; the page's console errors and uncaught exceptions are collected.</summary>
    internal static async Task<(IPage Page, List<string> Errors)> SignInAsync(IBrowser browser, Rig rig, Guid tenantId, string login, string password)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = rig.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, Locale = "en-US",
        });
        var errors = new List<string>();
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        Assert.Equal(200, (await page.GotoAsync("/agent"))!.Status);
        await page.FillAsync("#login input[name=tenant]", tenantId.ToString());
        await page.FillAsync("#login input[name=login]", login);
        await page.FillAsync("#login input[name=password]", password);
        await page.ClickAsync("#login button[type=submit]");
        return (page, errors);
    }

    /// <summary>The SIP user the console's provisioning gave the seat, read from its stream.</summary>
    private static async Task<string> SeatSipUserAsync(Rig rig, Guid tenantId, Guid agentId)
    {
        var (state, _) = await CommandRunner.LoadAsync(
            rig.App.Services.GetRequiredService<PostgresEventStore>(), Deciders.Agent, tenantId.ToString(), Deciders.Agent.StreamId(agentId), CancellationToken.None);
        return ((Agent.Active)state).Profile.Sip?.Username ?? throw new InvalidOperationException("the console did not provision the seat's SIP account");
    }

    /// <summary>Where in a recording the first voiced 20 ms frame starts.</summary>
    private static TimeSpan FirstVoiced(string wavPath)
    {
        var samples = WavFile.Read(wavPath).Samples;
        for (var offset = 0; offset + 160 <= samples.Length; offset += 160)
        {
            double energy = 0;
            foreach (var sample in samples.AsSpan(offset, 160))
            {
                energy += (double)sample * sample;
            }

            if (Math.Sqrt(energy / 160) > 300)
            {
                return TimeSpan.FromMilliseconds(offset / 8.0);
            }
        }

        throw new Xunit.Sdk.XunitException($"{wavPath}: no voiced frame after unmuting");
    }

    /// <summary>Share of voiced 100 ms windows whose dominant frequency is <paramref name="frequencyHz"/>.</summary>
    private static (double Share, int Voiced, string Seen) DominantShare(string wavPath, double frequencyHz)
    {
        var samples = WavFile.Read(wavPath).Samples;
        var dominants = new List<double>();
        for (var offset = 0; offset + 800 <= samples.Length; offset += 800)
        {
            var window = samples.AsSpan(offset, 800);
            double energy = 0;
            foreach (var sample in window)
            {
                energy += (double)sample * sample;
            }

            if (Math.Sqrt(energy / window.Length) > 300)
            {
                dominants.Add(Goertzel.DominantFrequency(window));
            }
        }

        var share = dominants.Count == 0 ? 0 : dominants.Count(d => Math.Abs(d - frequencyHz) <= 15) / (double)dominants.Count;
        return (share, dominants.Count, string.Join(",", dominants.Select(d => d.ToString("0", CultureInfo.InvariantCulture))));
    }

    internal static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AiCallCenter.slnx")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? AppContext.BaseDirectory;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(root, "artifacts", "screenshots", $"{name}.png"), FullPage = true });
    }

    /// <summary>Call-control events per leg, taken in the order the test asks for them.</summary>
    private sealed class LegEvents(ChannelReader<CallEvent> reader)
    {
        private readonly List<CallEvent> _backlog = [];

        public async Task<T> NextAsync<T>(CallLegId leg, TimeSpan? timeout = null)
            where T : CallEvent
        {
            var earlier = _backlog.OfType<T>().FirstOrDefault(e => e.Leg == leg);
            if (earlier is not null)
            {
                _backlog.Remove(earlier);
                return earlier;
            }

            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
            try
            {
                while (true)
                {
                    var e = await reader.ReadAsync(cts.Token);
                    if (e is T wanted && e.Leg == leg)
                    {
                        return wanted;
                    }

                    _backlog.Add(e);
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {typeof(T).Name} on {leg}; saw: {string.Join(", ", _backlog)}");
            }
        }
    }

    /// <summary>
    /// Everything the test stands up, torn down in reverse order even when a later step fails:
    /// database, namespace, database relay, edge daemons, host, SIP call control.
    /// </summary>
    internal sealed class Rig : IAsyncDisposable
    {
        private readonly Stack<Func<ValueTask>> _teardown = new();

        public string Folder { get; } = Directory.CreateTempSubdirectory("aicc-softphone-").FullName;

        public EdgeProcesses? Edge { get; private set; }

        public WebApplication App { get; private set; } = null!;

        public Uri BaseAddress { get; private set; } = null!;

        private SipCallControl? _control;

        /// <summary>The test's call control; a rig with telephony has none (the host carries the calls).</summary>
        public SipCallControl Control => _control ?? throw new InvalidOperationException("the host's telephony carries this rig's calls");

        public string ChromiumInNamespace { get; private set; } = "";

        public string MicrophoneWav { get; private set; } = "";

        /// <param name="withTelephony">The host runs its own telephony (SIP, robots, call distributor) and rings agents through the edge.</param>
        public static async Task<Rig> StartAsync(bool withTelephony = false)
        {
            var rig = new Rig();
            try
            {
                await rig.BuildAsync(withTelephony);
                return rig;
            }
            catch
            {
                await rig.DisposeAsync();
                throw;
            }
        }

        private async Task BuildAsync(bool withTelephony)
        {
            _teardown.Push(() =>
            {
                Directory.Delete(Folder, recursive: true);
                return ValueTask.CompletedTask;
            });
            var database = new PostgresDatabase();
            await database.InitializeAsync();
            _teardown.Push(async () => await database.DisposeAsync());

            var ns = await NetworkNamespace.CreateAsync();
            _teardown.Push(ns.DisposeAsync);

            var server = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
            var relay = new TcpRelay(ns.Outside, new IPEndPoint(IPAddress.Parse(server.Host!), server.Port));
            _teardown.Push(relay.DisposeAsync);
            server.Host = relay.EndPoint.Address.ToString();
            server.Port = relay.EndPoint.Port;

            var settings = new EdgeSettings
            {
                SipAddress = ns.Inside,
                WebSocketPort = 8080,
                MediaAddress = ns.Inside,
                RtpengineControl = new IPEndPoint(ns.Inside, 2223),
                DatabaseUrl = EdgeSettings.KamailioDatabaseUrl(server.ConnectionString),
                TrustedPeers = [ns.Outside],
            };
            var hostSettings = new Dictionary<string, string?> { ["Edge:WebSocketUrl"] = settings.WebSocketUrl };
            TelephonyOptions? telephony = null;
            if (withTelephony)
            {
                // SIP and RTP on the veth's outer address: kamailio and rtpengine reach it from
                // inside the namespace, a caller on the host reaches it as a local address.
                telephony = new TelephonyOptions
                {
                    SipPort = 0,
                    MediaAddress = ns.Outside,
                    Robot = new RobotSessionOptions { QueueTimeout = TimeSpan.FromSeconds(30), CallbackDelay = TimeSpan.FromHours(1) },
                };
                hostSettings["Edge:SipEndPoint"] = settings.SipEndPoint.ToString();
            }

            // The host's schema (agent_sip_accounts among it) must exist before kamailio's auth_db connects.
            App = await HostApp.BuildAsync(database.ConnectionString, $"http://{ns.Outside}:0", CancellationToken.None, telephony, settings: hostSettings);
            _teardown.Push(async () =>
            {
                await App.StopAsync();
                await App.DisposeAsync();
            });

            Edge = await EdgeProcesses.StartAsync(settings, Path.Combine(Folder, "edge"), ns.Launcher);
            _teardown.Push(Edge.DisposeAsync);

            await App.StartAsync();
            BaseAddress = new Uri(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
            if (!withTelephony)
            {
                StartOwnCallControl(ns);
            }

            // Playwright starts "the browser" through this, so Chromium runs inside the namespace.
            ChromiumInNamespace = Path.Combine(Folder, "chromium-in-namespace.sh");
            await File.WriteAllTextAsync(ChromiumInNamespace, $"#!/bin/sh\nexec ip netns exec {ns.Name} /usr/bin/chromium \"$@\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(ChromiumInNamespace, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            MicrophoneWav = Path.Combine(Folder, "microphone.wav");
            WavFile.Write(MicrophoneWav, ToneGenerator.Generate(BrowserToneHz, TimeSpan.FromSeconds(10), sampleRate: 48000), 48000);
        }

        /// <summary>The test's own SIP call control on the outer address, for tests that call the agent themselves.</summary>
        private void StartOwnCallControl(NetworkNamespace ns)
        {
            var clock = new MediaClock();
            _teardown.Push(() =>
            {
                clock.Dispose();
                return ValueTask.CompletedTask;
            });
            var stack = SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(ns.Outside, 0)] });
            _teardown.Push(stack.DisposeAsync);
            var uas = SipUserAgentServer.On(stack, TimeProvider.System);
            _control = new SipCallControl(uas, clock, new SipCallControlOptions { MediaAddress = ns.Outside });
            _teardown.Push(_control.DisposeAsync);
        }

        public async ValueTask DisposeAsync()
        {
            var failures = new List<Exception>();
            while (_teardown.TryPop(out var step))
            {
                try
                {
                    await step();
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            }

            if (failures.Count > 0)
            {
                throw new AggregateException("tear-down failed", failures);
            }
        }
    }
}
