using Aicc.EventStore;
using Aicc.EventStore.Projections;
using Npgsql;

namespace Aicc.Api.Hosting;

/// <summary>
/// Wires the event store into the host and the CLI: the event type registry, the async
/// projections this binary runs, and the projection daemon as a hosted service (so that with
/// several hosts each projection runs in exactly one of them).
/// </summary>
public static class EventStoreHosting
{
    /// <summary>The stable event names of every capability; events of names not listed here are read as raw JSON.</summary>
    public static EventTypeRegistry CreateRegistry() => new();

    /// <summary>The async projections of this binary (the daemon runs them; <c>aicc projections rebuild</c> knows them).</summary>
    public static IReadOnlyList<IAsyncProjection> AsyncProjections() =>
    [
        new EventTypeCountsProjection(),
    ];

    public static PostgresEventStore CreateStore(NpgsqlDataSource dataSource, ILoggerFactory? loggerFactory = null) =>
        new(dataSource, CreateRegistry(), new EventStoreOptions(), loggerFactory);

    public static IServiceCollection AddEventStore(this IServiceCollection services)
    {
        services.AddSingleton(provider => CreateStore(provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(provider => new ProjectionDaemon(provider.GetRequiredService<PostgresEventStore>(), AsyncProjections()));
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
