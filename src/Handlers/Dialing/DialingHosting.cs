using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Messaging.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aicc.Handlers.Dialing;

/// <summary>
/// Puts outbound dialing into a host: a scheduler worker for the dialing messages (redials due,
/// lease expiries) always, and the <see cref="DialerService"/> when the process carries calls (a
/// <see cref="CallEventHub"/> is registered). The answered-call router is taken from DI when one
/// is registered.
/// </summary>
public static class DialingHosting
{
    public static IServiceCollection AddDialing(this IServiceCollection services, DialerServiceOptions? options = null)
    {
        var settings = (options ?? new DialerServiceOptions()) with { RunScheduler = false };
        services.AddHostedService(sp => new DialingScheduler(
            sp.GetRequiredService<PostgresEventStore>(), settings.Scheduler, sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<IHostedService>(sp => sp.GetService<CallEventHub>() is { } hub
            ? new DialerService(sp.GetRequiredService<PostgresEventStore>(), hub, settings, sp.GetService<IAnsweredCallRouter>(), sp.GetRequiredService<ILoggerFactory>())
            : new NoCallControl(sp.GetRequiredService<ILoggerFactory>().CreateLogger<DialerService>()));
        return services;
    }

    /// <summary>The scheduler worker for the dialing message types.</summary>
    private sealed class DialingScheduler(PostgresEventStore store, ScheduledMessageWorkerOptions options, ILoggerFactory loggers) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            new ScheduledMessageWorker(store.DataSource, new ScheduledMessageHandlers().AddRedialDue(store).AddLeaseExpiry(store), options, null,
                loggers.CreateLogger<ScheduledMessageWorker>()).RunAsync(stoppingToken);
    }

    /// <summary>Stands in for the dialer in a process without call control, and says so once.</summary>
    private sealed class NoCallControl(ILogger logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogInformation("No call control in this process: running tasks are dialed by a process that has one");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
