using System.Net;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Lines.Health;
using Aicc.Handlers.RobotPipeline;
using Aicc.Handlers.Switchboard;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Authentication;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;
using Aicc.Telephony.Speech;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Aicc.Api.Hosting;

/// <summary>Where the host's telephony listens and how its robots behave.</summary>
public sealed record TelephonyOptions
{
    /// <summary>The SIP UDP port (<c>--sip-port</c>, AICC_SIP_PORT); 0 picks a free one (tests).</summary>
    public int SipPort { get; init; } = 5080;

    /// <summary>
    /// The address SIP binds and SDP offers for RTP (<c>--media-address</c>, AICC_MEDIA_ADDRESS):
    /// the one address peers reach this node at. Loopback by default, for a single-machine demo.
    /// </summary>
    public IPAddress MediaAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Hand-over time-out and call-back delay of robot sessions.</summary>
    public RobotSessionOptions Robot { get; init; } = new();

    /// <summary>How often lines' gateways get an OPTIONS ping and how many misses make a line down.</summary>
    public LineHealthOptions LineHealth { get; init; } = new();
}

/// <summary>
/// The host's telephony as services: one SIP stack on one UDP port, one <see cref="SipCallControl"/>
/// (as <see cref="ICallControl"/>) and one <see cref="CallEventHub"/> reading it, the speech
/// engines, robot sessions, the inbound router (a hosted service) and the answered-call router
/// the dialer hands calls to. Everything is a singleton in DI so other services (the call
/// distributor, the dialer) resolve the same hub. A <see cref="SipRegistrar"/> or an
/// <see cref="IAgentQueue"/> registered by another part of the host is picked up; an
/// <see cref="IRobotScripts"/> registered before this replaces the shipped scripts.
/// </summary>
public static class TelephonyHosting
{
    public static IServiceCollection AddTelephony(this IServiceCollection services, TelephonyOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(_ => new MediaClock());
        services.AddSingleton(_ => SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(options.MediaAddress, options.SipPort)] }));
        services.AddSingleton(provider =>
        {
            var stack = provider.GetRequiredService<SipStack>();
            var uas = SipUserAgentServer.On(stack, TimeProvider.System, registrar: provider.GetRequiredService<SipRegistrar>());
            // Agents' desk phones register here with their seat's digest credentials (ADR 0013).
            uas.RegisterAuthenticator = new DigestAuthenticator(
                new AgentSipCredentialStore(provider.GetRequiredService<Npgsql.NpgsqlDataSource>()), TimeProvider.System);
            return new SipCallControl(uas, provider.GetRequiredService<MediaClock>(), new SipCallControlOptions { MediaAddress = options.MediaAddress });
        });
        services.TryAddSingleton(_ => new SipRegistrar(TimeProvider.System));
        services.AddSingleton<ICallControl>(provider => provider.GetRequiredService<SipCallControl>());
        services.AddSingleton(provider => new CallEventHub(provider.GetRequiredService<ICallControl>()));
        services.AddSingleton(_ => new PocketSphinxRecognizer());
        services.AddSingleton(_ => new MandarinRecognizer());
        // English scripts get pocketsphinx; Mandarin ones the experimental pinyin recogniser (ADR 0008).
        services.AddSingleton(provider => new RobotEngines(
            new PromptCache(new VoiceRouter([new FliteSynthesizer(), new EspeakSynthesizer()])),
            new LanguageRouter([provider.GetRequiredService<PocketSphinxRecognizer>(), provider.GetRequiredService<MandarinRecognizer>()])));
        services.TryAddSingleton<ShippedRobotScripts>();
        services.TryAddSingleton<IRobotScripts, StoredRobotScripts>();
        services.AddAgentSwitchboard();
        services.AddSingleton<RobotSeats>();
        services.AddSingleton(provider => new RobotSessions(
            provider.GetRequiredService<CallEventHub>(),
            provider.GetRequiredService<PostgresEventStore>(),
            provider.GetRequiredService<IRobotScripts>(),
            provider.GetRequiredService<RobotEngines>(),
            options.Robot,
            provider.GetService<IAgentQueue>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<RobotSessions>>()));
        services.AddSingleton(provider => new InboundCallRouter(
            provider.GetRequiredService<CallEventHub>(),
            provider.GetRequiredService<PostgresEventStore>(),
            provider.GetRequiredService<RobotSessions>(),
            provider.GetRequiredService<RobotSeats>(),
            provider.GetService<IAgentQueue>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<InboundCallRouter>>()));
        services.AddSingleton(provider => new RobotAnsweredCallRouter(
            provider.GetRequiredService<CallEventHub>(),
            provider.GetRequiredService<PostgresEventStore>(),
            provider.GetRequiredService<RobotSessions>(),
            provider.GetRequiredService<RobotSeats>(),
            provider.GetService<IAgentQueue>(),
            provider.GetRequiredService<ILogger<RobotAnsweredCallRouter>>()));
        services.AddSingleton<IAnsweredCallRouter>(provider => provider.GetRequiredService<RobotAnsweredCallRouter>());
        services.AddHostedService<TelephonyService>();
        services.AddLineHealth(options.LineHealth);
        return services;
    }

    /// <summary>The SIP address peers call this node at (after a free port was picked).</summary>
    public static IPEndPoint SipEndPoint(this IServiceProvider services) =>
        services.GetRequiredService<SipStack>().UdpEndPoints[0];

    /// <summary>Starts SIP with the host and routes inbound calls; on shutdown stops routing and waits for calls in hand.</summary>
    private sealed class TelephonyService(
        CallEventHub hub, InboundCallRouter router, SipStack stack, PocketSphinxRecognizer asr, MandarinRecognizer mandarin, ILogger<TelephonyService> logger) : IHostedService
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _routing = Task.CompletedTask;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // Loading a decoder takes about a second: done before the first caller speaks, not on
            // that call's media loop, where the caller's audio would overflow meanwhile.
            if (PocketSphinxRecognizer.IsAvailable)
            {
                await Task.Run(() => asr.Prewarm(2), cancellationToken);
            }

            if (MandarinRecognizer.IsAvailable)
            {
                await Task.Run(() => mandarin.Prewarm(1), cancellationToken);
            }

            _routing = Task.Run(() => router.RunAsync(_stop.Token), CancellationToken.None);
            logger.LogInformation("SIP listening on udp {EndPoint}; {Legs} legs watched", stack.UdpEndPoints[0], hub.WatchedLegs);
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await _stop.CancelAsync();
            await _routing.WaitAsync(cancellationToken);
        }
    }
}
