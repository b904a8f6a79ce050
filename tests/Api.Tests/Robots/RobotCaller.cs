using Aicc.Domain.Calls;
using Aicc.Handlers.Tenants.SeedingDemo;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Speech;
using Aicc.Telephony.Tests.CallControl.Interop;

namespace Aicc.Api.Tests.Robots;

/// <summary>
/// The customer's softphone of the robot's end-to-end tests: a real baresip that dials the demo
/// robot's number on the host and is quiet until a test makes it speak a flite-synthesised
/// sentence or play a tone (its audio source is switched at that moment). Shared so every
/// robot test calls and talks the same way.
/// </summary>
public sealed class RobotCaller : IAsyncDisposable
{
    private readonly RobotTelephonyHost _host;
    private readonly FliteSynthesizer _flite = new();

    private RobotCaller(RobotTelephonyHost host, string number, string folder, Baresip phone)
    {
        _host = host;
        Number = number;
        Folder = folder;
        Phone = phone;
    }

    public string Number { get; }

    public string Folder { get; }

    public Baresip Phone { get; }

    public static async Task<RobotCaller> StartAsync(RobotTelephonyHost host, string number)
    {
        var folder = Directory.CreateTempSubdirectory("aicc-robot-caller-").FullName;
        var silence = Path.Combine(folder, "silence.wav");
        // Quiet until a test makes it speak; long enough that aufile never ends the call.
        WavFile.Write(silence, new short[8000 * 60]);
        var phone = await Baresip.StartAsync(silence, port => $"<sip:{number}@127.0.0.1:{port}>;regint=0;answermode=auto;audio_codecs=pcmu");
        return new RobotCaller(host, number, folder, phone);
    }

    /// <summary>Dials the demo robot's number, waits for the answer and returns the call's id.</summary>
    public async Task<Guid> DialRobotAsync()
    {
        // Only calls that arrive from now on: an earlier test's call came from the same number.
        var before = DateTimeOffset.UtcNow;
        await Phone.CommandAsync("dial", $"sip:{SeedDemo.DemoRobotNumber}@127.0.0.1:{_host.Sip.Port}");
        await Phone.NextEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(10));
        return await _host.InboundCallAsync(Number, before, TimeSpan.FromSeconds(10));
    }

    /// <summary>Makes the phone say <paramref name="text"/> now: its audio source switches to the sentence, then silence.</summary>
    public async Task SayAsync(string text)
    {
        var speech = await _flite.SynthesizeAsync(text, "kal16");
        await SendAsync([.. speech.Samples, .. new short[8000 * 30]]);
    }

    /// <summary>Makes the phone send a steady tone from now on.</summary>
    public Task PlayToneAsync(double frequencyHz) => SendAsync(ToneGenerator.Generate(frequencyHz, TimeSpan.FromSeconds(30)));

    /// <summary>How long the robot takes to speak the prompt.</summary>
    public async Task<TimeSpan> DurationAsync(CallEvent.PromptPlayed prompt) =>
        TimeSpan.FromSeconds((await _flite.SynthesizeAsync(prompt.Text, prompt.Voice)).Samples.Length / 8000.0);

    /// <summary>How long until the prompt has been spoken, plus <paramref name="margin"/>.</summary>
    public async Task<TimeSpan> RemainingAsync(CallEvent.PromptPlayed prompt, TimeSpan margin)
    {
        var left = prompt.PlayedAt + await DurationAsync(prompt) + margin - DateTimeOffset.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    public async ValueTask DisposeAsync()
    {
        await Phone.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }

    private async Task SendAsync(short[] samples)
    {
        var path = Path.Combine(Folder, $"send-{Guid.NewGuid():N}.wav");
        WavFile.Write(path, samples);
        await Phone.CommandAsync("ausrc", $"aufile,{path}");
    }
}
