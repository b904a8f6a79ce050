using Aicc.EventStore;
using Aicc.Handlers.EventTypes;
using Aicc.Projections.Access;
using Aicc.Projections.Agents;
using Aicc.Projections.Tasks;
using Npgsql;

namespace Aicc.Api.Hosting;

/// <summary>
/// The event store as the platform uses it: every domain event type registered under its
/// stable name, and the inline projections that commands must be able to read back at once.
/// Host and CLI build it the same way.
/// </summary>
public static class Platform
{
    public static PostgresEventStore CreateEventStore(NpgsqlDataSource dataSource, ILoggerFactory? loggerFactory = null) =>
        new(dataSource, DomainEventTypes.CreateRegistry(), new EventStoreOptions
        {
            InlineProjections = [new AccessProjection(), new TaskListProjection(), new AgentBoardProjection(), new AgentSipAccountsProjection()],
        }, loggerFactory);
}
