using System.Collections.Concurrent;
using Npgsql;

namespace Aicc.Api.Http.Statistics;

/// <summary>
/// One read of a tenant's floor shared by all of that tenant's wallboard streams: streams woken
/// by the same move reuse a read that started after they woke, so a hundred wallboards of one
/// tenant cost one read per move instead of a hundred.
/// </summary>
public sealed class FloorReads(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (long StartedAt, Task<FloorQueries.Floor> Read)> _latest = new(StringComparer.Ordinal);

    /// <summary>
    /// The floor as read at or after <paramref name="notBefore"/> (a <see cref="TimeProvider.GetTimestamp"/>
    /// taken when the caller learnt of the change), starting a read only when none qualifies.
    /// </summary>
    public Task<FloorQueries.Floor> ReadAsync(string tenant, long notBefore, CancellationToken cancellationToken)
    {
        if (_latest.TryGetValue(tenant, out var latest) && latest.StartedAt >= notBefore && !latest.Read.IsFaulted && !latest.Read.IsCanceled)
        {
            return latest.Read.WaitAsync(cancellationToken);
        }

        var startedAt = clock.GetTimestamp();
        // Not the caller's token: other streams may wait for this read after the caller has gone.
        var read = FloorQueries.ReadAsync(dataSource, tenant, clock.GetUtcNow(), CancellationToken.None);
        _latest.AddOrUpdate(tenant, (startedAt, read), (_, current) => current.StartedAt > startedAt ? current : (startedAt, read));
        return read.WaitAsync(cancellationToken);
    }
}
