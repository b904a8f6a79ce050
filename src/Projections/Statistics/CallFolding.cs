using Aicc.Domain.Calls;
using Aicc.EventStore;
using Npgsql;

namespace Aicc.Projections.Statistics;

/// <summary>
/// Async projections over calls see single events; what a call event means (which task, when
/// it connected) needs the call so far. This folds each touched call stream once per batch with
/// the domain's Evolve and yields every batch event with the call state after it.
/// </summary>
internal static class CallFolding
{
    public static async Task<List<(RecordedEvent Recorded, CallEvent Event, Call After)>> FoldAsync(
        PostgresEventStore store, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        var result = new List<(RecordedEvent, CallEvent, Call)>();
        foreach (var stream in events.Where(e => e.StreamType == "call" && e.Data is CallEvent).GroupBy(e => (e.Tenant, e.StreamId)))
        {
            var wanted = stream.Select(e => e.Version).ToHashSet();
            var history = await store.ReadStreamAsync(connection, transaction, stream.Key.Tenant, stream.Key.StreamId, 1, cancellationToken);
            var state = Call.Initial;
            foreach (var recorded in history.Where(e => e.Version <= wanted.Max()))
            {
                if (recorded.Data is not CallEvent callEvent)
                {
                    continue;
                }

                state = Call.Evolve(state, callEvent);
                if (wanted.Contains(recorded.Version))
                {
                    result.Add((recorded, callEvent, state));
                }
            }
        }

        return result;
    }
}
