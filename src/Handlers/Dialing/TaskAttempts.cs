using Aicc.Domain.CustomerBatches;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Npgsql;

namespace Aicc.Handlers.Dialing;

/// <summary>One call stream a task's dialer created: whose customer, and whether it has hung up.</summary>
public sealed record TaskAttempt(Guid CallId, Guid CustomerId, int Attempt, bool Dialed, bool Ended);

/// <summary>
/// What the event store says about a task's dialing: the customers its sealed batches hold and
/// the call streams it created. Read from the events themselves (not a projection) because the
/// dialer must never act on a lagging view: a customer dialed a moment ago must already count.
/// </summary>
public sealed class TaskAttempts(PostgresEventStore store)
{
    /// <summary>Every customer of the task's sealed batches, in batch then row order.</summary>
    public async Task<IReadOnlyList<TaskCustomer>> SealedCustomersAsync(Guid tenantId, Guid taskId, CancellationToken cancellationToken)
    {
        var tenant = Deciders.TenantKey(tenantId);
        var batches = new List<string>();
        await using (var connection = await store.DataSource.OpenConnectionAsync(cancellationToken))
        await using (var command = new NpgsqlCommand(
            "select stream_id from es_events where tenant_id = $1 and type = 'customer_batch.sealed.v1' and data->>'taskId' = $2 order by seq_id",
            connection))
        {
            command.Parameters.AddWithValue(tenant);
            command.Parameters.AddWithValue(taskId.ToString());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                batches.Add(reader.GetString(0));
            }
        }

        var customers = new List<TaskCustomer>();
        foreach (var batch in batches)
        {
            foreach (var e in await store.ReadStreamAsync(tenant, batch, 1, cancellationToken))
            {
                if (e.Data is CustomerBatchEvent.CustomersAdded added)
                {
                    customers.AddRange(added.Customers.OrderBy(c => c.Row));
                }
            }
        }

        return customers;
    }

    /// <summary>Every call stream created for the task's customers, with how far each got.</summary>
    public async Task<IReadOnlyList<TaskAttempt>> AttemptsAsync(Guid tenantId, Guid taskId, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            select c.data->>'callId', c.data->>'customerId', d.data->>'attempt',
                   exists (select 1 from es_events h where h.tenant_id = c.tenant_id and h.stream_id = c.stream_id and h.type = 'call.hung_up.v1')
            from es_events c
            left join es_events d on d.tenant_id = c.tenant_id and d.stream_id = c.stream_id and d.type = 'call.dialing_started.v1'
            where c.tenant_id = $1 and c.type = 'call.outbound_created.v1' and c.data->>'taskId' = $2 and c.data->>'customerId' is not null
            order by c.seq_id
            """,
            connection);
        command.Parameters.AddWithValue(Deciders.TenantKey(tenantId));
        command.Parameters.AddWithValue(taskId.ToString());
        var attempts = new List<TaskAttempt>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var dialed = !reader.IsDBNull(2);
            attempts.Add(new TaskAttempt(
                Guid.Parse(reader.GetString(0)),
                Guid.Parse(reader.GetString(1)),
                dialed ? int.Parse(reader.GetString(2), System.Globalization.CultureInfo.InvariantCulture) : 0,
                dialed,
                reader.GetBoolean(3)));
        }

        return attempts;
    }
}
