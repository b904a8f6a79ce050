using Aicc.EventStore;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Pinging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aicc.Handlers.Lines.Health;

/// <summary>
/// Puts the <see cref="LineHealthMonitor"/> into a host that has a SIP stack: pings leave from the
/// node's own SIP port, so a gateway that filters by source sees the address it also gets calls from.
/// </summary>
public static class LineHealthHosting
{
    public static IServiceCollection AddLineHealth(this IServiceCollection services, LineHealthOptions? options = null)
    {
        var settings = options ?? new LineHealthOptions();
        services.AddSingleton(provider => new LineHealthMonitor(
            provider.GetRequiredService<PostgresEventStore>(),
            SipOptionsPinger.On(provider.GetRequiredService<SipStack>(), settings.PingTimeout),
            settings,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<LineHealthMonitor>>()));
        services.AddHostedService(provider => provider.GetRequiredService<LineHealthMonitor>());
        return services;
    }
}
