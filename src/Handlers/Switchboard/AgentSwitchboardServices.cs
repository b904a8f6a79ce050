using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aicc.Handlers.Switchboard;

/// <summary>
/// How a host that carries calls (it has registered its one <see cref="CallEventHub"/>) adds the
/// distributor: one <see cref="AgentQueue"/> serving as <see cref="IAgentQueue"/> for the robot,
/// the dialer and inbound routing and as <see cref="IAgentCallDesk"/> for the console's call
/// endpoints, plus the reaper of calls whose node died. Phones ring through the platform's
/// registrar unless the host registered other <see cref="IAgentPhones"/> (the edge proxy); the
/// registrar authenticates seats with <see cref="AgentSipCredentialStore"/>, bridged calls are
/// recorded into the host's <see cref="RecordingsFolder"/> when it registered one, and the host's
/// scheduler worker needs <see cref="AgentWrapUp.AddAgentWrapUp"/> among its handlers.
/// </summary>
public static class AgentSwitchboardServices
{
    public static IServiceCollection AddAgentSwitchboard(this IServiceCollection services, AgentQueueOptions? options = null)
    {
        services.TryAddSingleton(AgentSipDomains.Default);
        services.TryAddSingleton(provider => options ?? new AgentQueueOptions { Recordings = provider.GetService<RecordingsFolder>() });
        services.TryAddSingleton<IAgentPhones>(provider =>
            new RegisteredAgentPhones(provider.GetRequiredService<CallEventHub>().Control, provider.GetRequiredService<AgentSipDomains>()));
        services.TryAddSingleton(provider => new AgentQueue(
            provider.GetRequiredService<PostgresEventStore>(),
            provider.GetRequiredService<CallEventHub>(),
            provider.GetRequiredService<IAgentPhones>(),
            provider.GetRequiredService<AgentQueueOptions>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger<AgentQueue>()));
        services.TryAddSingleton<IAgentQueue>(provider => provider.GetRequiredService<AgentQueue>());
        services.TryAddSingleton<IAgentCallDesk>(provider => provider.GetRequiredService<AgentQueue>());
        services.TryAddSingleton<ICallMonitorDesk>(provider => provider.GetRequiredService<AgentQueue>());
        services.AddHostedService<AgentSwitchboardHousekeeping>();
        return services;
    }

    /// <summary>Runs the reaper of orphaned calls for the host's lifetime.</summary>
    private sealed class AgentSwitchboardHousekeeping(AgentQueue queue) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => queue.RunHousekeepingAsync(stoppingToken);
    }
}
