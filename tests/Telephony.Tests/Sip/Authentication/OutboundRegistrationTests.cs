using System.Net;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Authentication;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;

namespace Aicc.Telephony.Tests.Sip.Authentication;

/// <summary>Our outbound registration (as to a provider) against our own registrar with Digest, over loopback UDP.</summary>
public sealed class OutboundRegistrationTests : IAsyncLifetime
{
    private readonly SipRegistrar _registrar = new(TimeProvider.System);
    private SipStack _provider = null!;
    private SipStack _client = null!;
    private SipUserAgentServer _clientUas = null!;

    public Task InitializeAsync()
    {
        _provider = SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });
        var store = new InMemorySipCredentialStore();
        store.Add(SipStoredCredential.FromPassword("trunk42", "provider.example", "pw42"));
        var providerUas = SipUserAgentServer.On(_provider, TimeProvider.System, registrar: _registrar);
        providerUas.RegisterAuthenticator = new DigestAuthenticator(store, TimeProvider.System);
        _client = SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });
        _clientUas = SipUserAgentServer.On(_client, TimeProvider.System, user: "trunk42");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _provider.DisposeAsync();
    }

    private SipOutboundRegistration Registration(string password, TimeSpan expiry) => new(
        _clientUas,
        new SipRemote(SipTransportKind.Udp, _provider.UdpEndPoints[0]),
        SipUri.Create("trunk42", "provider.example"),
        new SipCredentials("trunk42", password),
        expiry);

    [Fact]
    public async Task GivenTheRightPassword_ThenWeRegisterThroughTheChallengeRefreshBeforeExpiryAndUnregisterOnDispose()
    {
        var registration = Registration("pw42", TimeSpan.FromSeconds(2));
        var state = await registration.StartAsync();
        Assert.True(state.Registered, $"status {state.Status}");
        Assert.Equal(TimeSpan.FromSeconds(2), state.GrantedExpiry);
        Assert.Single(_registrar.Lookup("sip:trunk42@provider.example"));

        // Two expiry periods later the binding is still there only because refreshes renewed it.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Single(_registrar.Lookup("sip:trunk42@provider.example"));
        Assert.True(registration.Attempts >= 6, $"{registration.Attempts} REGISTERs sent");

        await registration.DisposeAsync();
        Assert.Empty(_registrar.Lookup("sip:trunk42@provider.example"));
    }

    [Fact]
    public async Task GivenAWrongPassword_ThenTheRegistrationFailsWith401AndNothingIsBound()
    {
        await using var registration = Registration("nope", TimeSpan.FromSeconds(60));
        var state = await registration.StartAsync();

        Assert.False(state.Registered);
        Assert.Equal(401, state.Status);
        Assert.Empty(_registrar.Lookup("sip:trunk42@provider.example"));
    }
}
