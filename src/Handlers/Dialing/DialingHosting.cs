using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Messaging.Scheduling;
using Aicc.Handlers.Security;
using Aicc.Handlers.Switchboard;
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
        services.AddHostedService(sp => new DialingScheduler(sp, settings.Scheduler));
        services.AddHostedService(sp => new DialerHost(sp, settings));
        return services;
    }

    /// <summary>
    /// The host's scheduler worker: redials, lease expiries and agents' end of after-call work; and
    /// robots' call backs only in a process that carries calls and robots (the worker claims only
    /// the types it handles, so a process without them leaves call backs to one that has them).
    /// </summary>
    private sealed class DialingScheduler(IServiceProvider services, ScheduledMessageWorkerOptions options) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var store = services.GetRequiredService<PostgresEventStore>();
            var loggers = services.GetRequiredService<ILoggerFactory>();
            var handlers = new ScheduledMessageHandlers().AddRedialDue(store).AddLeaseExpiry(store).AddAgentWrapUp(store);
            if (services.GetService<CallEventHub>() is { } hub && services.GetService<RobotSessions>() is { } robots && services.GetService<RobotSeats>() is { } seats)
            {
                handlers.AddRobotCallback(new RobotCallbacks(hub, store, robots, seats, services.GetService<IAgentQueue>(), services.GetService<LineSecrets>(),
                    logger: loggers.CreateLogger<RobotCallbacks>()));
            }

            return new ScheduledMessageWorker(store.DataSource, handlers, options, null, loggers.CreateLogger<ScheduledMessageWorker>()).RunAsync(stoppingToken);
        }
    }

    /// <summary>
    /// Starts the <see cref="DialerService"/> when the process has a call-event hub, and otherwise
    /// says once that another process dials (resolved at start, so registration order does not matter).
    /// </summary>
    private sealed class DialerHost(IServiceProvider services, DialerServiceOptions settings) : IHostedService
    {
        private DialerService? _dialer;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            var loggers = services.GetRequiredService<ILoggerFactory>();
            if (services.GetService<CallEventHub>() is not { } hub)
            {
                loggers.CreateLogger<DialerService>().LogInformation("No call control in this process: running tasks are dialed by a process that has one");
                return Task.CompletedTask;
            }

            _dialer = new DialerService(services.GetRequiredService<PostgresEventStore>(), hub, settings, services.GetService<IAnsweredCallRouter>(), loggers,
                secrets: services.GetService<LineSecrets>());
            return _dialer.StartAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => _dialer?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }
}
