using System.Net;
using System.Net.Sockets;
using Aicc.Api.Edge;
using Aicc.Api.Hosting;
using Aicc.Domain.Agents;
using Aicc.Domain.Common;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Switchboard;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Authentication;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;
using Aicc.Testing;
using SipCredentials = Aicc.Telephony.Sip.Authentication.SipCredentials;

namespace Aicc.Api.Tests.Web.Softphone;

/// <summary>
/// The edge's admission rules with plain SIP phones of ours (no browser, no namespace): kamailio
/// checks REGISTERs against the seat credentials the platform's events put in agent_sip_accounts,
/// lets the platform's trusted address call a registered seat, and challenges anyone else.
/// </summary>
public sealed class EdgeRegistrationTests : IAsyncLifetime
{
    private static readonly IPAddress PlatformAddress = IPAddress.Parse("127.0.0.2");
    private readonly PostgresDatabase _database = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("aicc-edge-").FullName;
    private readonly MediaClock _clock = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private EdgeProcesses _edge = null!;
    private PostgresEventStore _store = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await Database.MigrateAsync(_database.DataSource);
        _store = Platform.CreateEventStore(_database.DataSource);
        _edge = await EdgeProcesses.StartAsync(
            new EdgeSettings
            {
                SipAddress = IPAddress.Loopback,
                SipPort = FreePort(SocketType.Dgram, ProtocolType.Udp),
                WebSocketPort = FreePort(SocketType.Stream, ProtocolType.Tcp),
                MediaAddress = IPAddress.Loopback,
                RtpengineControl = new IPEndPoint(IPAddress.Loopback, FreePort(SocketType.Dgram, ProtocolType.Udp)),
                // Rtpengine's range must not collide with a browser test's edge running at the same time.
                RtpPortMin = 31000,
                RtpPortMax = 31999,
                DatabaseUrl = EdgeSettings.KamailioDatabaseUrl(_database.ConnectionString),
                TrustedPeers = [PlatformAddress],
            },
            _folder);
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }

        _clock.Dispose();
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task GivenSeatCredentials_WhenAPhoneRegisters_ThenOnlyTheRightPasswordIsAccepted_AndOnlyThePlatformMayCallIt()
    {
        var tenantId = Guid.NewGuid();
        var agentId = Guid.CreateVersion7();
        var username = "zhao.lei";
        var realm = AgentSipDomains.Default.Of(tenantId);
        await SeatWithPasswordAsync(tenantId, agentId, username, "right horse battery");

        var phone = Node(IPAddress.Loopback);
        var aor = SipUri.Create(username, realm);
        var edge = new SipRemote(SipTransportKind.Udp, _edge.Settings.SipEndPoint);
        await using (var wrong = new SipOutboundRegistration(phone.Uas, edge, aor, new SipCredentials(username, "wrong"), TimeSpan.FromSeconds(120)))
        {
            var refused = await wrong.StartAsync();
            Assert.False(refused.Registered, $"a wrong password registered ({refused.Status})\n{_edge.Output}");
        }

        await using var right = new SipOutboundRegistration(phone.Uas, edge, aor, new SipCredentials(username, "right horse battery"), TimeSpan.FromSeconds(120));
        var accepted = await right.StartAsync();
        Assert.True(accepted.Registered, $"REGISTER answered {accepted.Status}\n{_edge.Output}");

        // Someone who is not the platform calls the seat: challenged, so the call fails and the phone never rings.
        var stranger = Node(IPAddress.Loopback);
        var strangerLeg = await stranger.Control.OriginateAsync(new OriginateRequest(username, _edge.Settings.SipEndPoint, "10086", TrunkDomain: realm));
        var refusedCall = await stranger.NextAsync<CallEvent.Hungup>();
        Assert.Equal(strangerLeg, refusedCall.Leg);
        Assert.NotEqual(CallCloseReason.Normal, refusedCall.Reason);

        // The platform calls the seat through the edge: the phone (found by its registration) rings with the caller's number.
        var platform = Node(PlatformAddress);
        var leg = await platform.Control.OriginateAsync(new OriginateRequest(username, _edge.Settings.SipEndPoint, "861055501234", "Customer", TrunkDomain: realm));
        var incoming = await phone.NextAsync<CallEvent.Incoming>();
        Assert.Equal("861055501234", incoming.Caller);
        await phone.Control.AnswerAsync(incoming.Leg);
        await platform.NextAsync<CallEvent.Answered>();
        await phone.Control.HangUpAsync(incoming.Leg);
        var ended = await platform.NextAsync<CallEvent.Hungup>();
        Assert.Equal((leg, CallCloseReason.Normal, CallEndedBy.Remote), (ended.Leg, ended.Reason, ended.By));
    }

    private async Task SeatWithPasswordAsync(Guid tenantId, Guid agentId, string username, string password)
    {
        var tenant = tenantId.ToString();
        var stream = Deciders.Agent.StreamId(agentId);
        await CommandRunner.RunAsync(_store, Deciders.Agent, tenant, stream,
            new AgentCommand.Create(agentId, tenantId, Guid.NewGuid(), "Zhao Lei", new ValueList<string>(["sales"]), DateTimeOffset.UtcNow));
        await CommandRunner.RunAsync(_store, Deciders.Agent, tenant, stream,
            new AgentCommand.SetSipCredentials(agentId, username, AgentSipCredentialStore.HashPassword(username, AgentSipDomains.Default.Of(tenantId), password), DateTimeOffset.UtcNow));
    }

    private PhoneNode Node(IPAddress address)
    {
        var stack = SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(address, 0)] });
        var uas = SipUserAgentServer.On(stack, TimeProvider.System);
        var control = new SipCallControl(uas, _clock, new SipCallControlOptions { MediaAddress = address });
        var node = new PhoneNode(stack, uas, control);
        _owned.Add(node);
        return node;
    }

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private sealed class PhoneNode(SipStack stack, SipUserAgentServer uas, SipCallControl control) : IAsyncDisposable
    {
        public SipUserAgentServer Uas { get; } = uas;

        public SipCallControl Control { get; } = control;

        public async Task<T> NextAsync<T>()
            where T : CallEvent
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                if (await Control.Events.ReadAsync(timeout.Token) is T wanted)
                {
                    return wanted;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Control.DisposeAsync();
            await stack.DisposeAsync();
        }
    }
}
