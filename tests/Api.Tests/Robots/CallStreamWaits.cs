using Aicc.Domain.Calls;
using Aicc.EventStore;

namespace Aicc.Api.Tests.Robots;

/// <summary>
/// Waiting on a tenant's call streams from outside a host: which inbound call a caller's dial
/// became, and when its stream shows an event. Shared by every test that drives calls over real SIP.
/// </summary>
public static class CallStreamWaits
{
    /// <summary>The id of the first inbound call from <paramref name="caller"/> that arrived after <paramref name="after"/>.</summary>
    public static async Task<Guid> InboundCallAsync(PostgresEventStore store, string tenant, string caller, DateTimeOffset after, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var command = store.DataSource.CreateCommand(
                """
                select stream_id from es_events where tenant_id = $1 and type = 'call.inbound_arrived.v1'
                  and data->>'caller' = $2 and timestamp > $3
                order by seq_id limit 1
                """);
            command.Parameters.AddWithValue(tenant);
            command.Parameters.AddWithValue(caller);
            command.Parameters.AddWithValue(after);
            if (await command.ExecuteScalarAsync() is string stream)
            {
                return Guid.Parse(stream["call-".Length..]);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no inbound call from {caller} reached the call streams");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The call's events so far.</summary>
    public static async Task<List<CallEvent>> CallEventsAsync(PostgresEventStore store, string tenant, Guid callId) =>
        (await store.ReadStreamAsync(tenant, $"call-{callId}", 1, CancellationToken.None)).Select(e => e.Data).OfType<CallEvent>().ToList();

    /// <summary>Waits until the call's stream holds an event matching <paramref name="match"/>; returns it.</summary>
    public static async Task<T> WaitForAsync<T>(PostgresEventStore store, string tenant, Guid callId, TimeSpan timeout, Func<T, bool>? match = null)
        where T : CallEvent
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var events = await CallEventsAsync(store, tenant, callId);
            if (events.OfType<T>().FirstOrDefault(e => match is null || match(e)) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"call {callId} has no {typeof(T).Name}; it has: {string.Join("; ", events)}");
            }

            await Task.Delay(100);
        }
    }
}
