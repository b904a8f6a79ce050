using Aicc.EventStore;
using Aicc.EventStore.Projections;
using Aicc.Projections.Calls;
using Aicc.Projections.Statistics;

namespace Aicc.Api.Hosting;

/// <summary>
/// The async projections of this binary and the daemon that runs them as a hosted service, so
/// that with several hosts each projection runs in exactly one of them. The CLI's
/// <c>projections rebuild</c> knows the same list.
/// </summary>
public static class ProjectionHosting
{
    public static IReadOnlyList<IAsyncProjection> AsyncProjections(PostgresEventStore store) =>
    [
        new EventTypeCountsProjection(),
        new CallRecordsProjection(store),
        new TaskProgressProjection(store),
        new LiveStatsProjection(store),
        new FloorProjection(store),
    ];

    /// <summary>Registers the daemon over the host's <see cref="PostgresEventStore"/> singleton.</summary>
    public static IServiceCollection AddProjectionDaemon(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var store = provider.GetRequiredService<PostgresEventStore>();
            return new ProjectionDaemon(store, AsyncProjections(store));
        });
        services.AddHostedService<ProjectionDaemonService>();
        return services;
    }

    /// <summary>Starts the daemon with the host and stops it (releasing leadership) on shutdown.</summary>
    private sealed class ProjectionDaemonService(ProjectionDaemon daemon) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => daemon.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => daemon.StopAsync();
    }
}
