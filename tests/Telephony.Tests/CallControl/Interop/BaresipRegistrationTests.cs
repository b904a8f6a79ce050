using Aicc.Telephony.Audio;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sip.Authentication;
using Aicc.Telephony.Sip.UserAgents;

namespace Aicc.Telephony.Tests.CallControl.Interop;

/// <summary>An agent softphone (baresip) registers with Digest at our registrar, and we route a call to the contact it registered.</summary>
public sealed class BaresipRegistrationTests : IAsyncLifetime
{
    private readonly MediaClock _clock = new();
    private readonly SipRegistrar _registrar = new(TimeProvider.System);
    private readonly string _folder = Directory.CreateTempSubdirectory("aicc-cc-bsreg-").FullName;
    private CallControlNode _node = null!;

    public Task InitializeAsync()
    {
        var store = new InMemorySipCredentialStore();
        store.Add(SipStoredCredential.FromPassword("alice", "127.0.0.1", "s3cret"));
        _node = CallControlNode.Start(_clock, _registrar, new DigestAuthenticator(store, TimeProvider.System));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _clock.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task GivenBaresipRegisteredWithDigest_WhenWeCallItsAddressOfRecord_ThenItsRegisteredContactAnswersAndSendsAudio()
    {
        var wav = Path.Combine(_folder, "agent.wav");
        WavFile.Write(wav, ToneGenerator.Generate(900, TimeSpan.FromSeconds(30)));
        await using var baresip = await Baresip.StartAsync(wav, _ =>
            $"<sip:alice@127.0.0.1:{_node.Sip.Port}>;auth_pass=s3cret;regint=60;answermode=auto;audio_codecs=pcmu");
        // baresip registers as it starts, possibly before our control connection hears events: watch the registrar instead.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_registrar.Lookup("sip:alice@127.0.0.1").Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(_registrar.Lookup("sip:alice@127.0.0.1").Count == 1, baresip.Output);
        var binding = _registrar.Lookup("sip:alice@127.0.0.1")[0];
        Assert.Contains($":{baresip.SipPort}", binding.Contact.Uri.Text, StringComparison.Ordinal);

        var leg = await _node.Control.CallRegisteredAsync("sip:alice@127.0.0.1", "861055501234", "Customer");
        await _node.Next<CallEvent.Answered>(match: a => a.Leg == leg);
        var path = Path.Combine(_folder, "agent-heard.wav");
        var recording = await _node.Control.RecordLegAsync(leg, path);
        await Task.Delay(1500);
        await recording.StopAsync();
        await _node.Control.HangUpAsync(leg);

        ToneAnalysis.AssertTone(path, 900);
    }
}
