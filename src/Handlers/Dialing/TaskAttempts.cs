using System.Collections.Immutable;
using System.Globalization;
using Aicc.Domain.Compliance;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Dialing.Contacts;
using Aicc.Domain.Numbers;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Npgsql;

namespace Aicc.Handlers.Dialing;

/// <summary>One call stream a task's dialer created: whose customer, which attempt, and whether it has hung up.</summary>
public sealed record TaskAttempt(Guid CallId, Guid CustomerId, int Attempt, bool Dialed, bool Ended, string Called = "");

/// <summary>A customer's newest between-attempt event (redial scheduled or due, refusal).</summary>
public sealed record ContactStatus(Guid CustomerId, DialingContactEvent Last);

/// <summary>
/// What the event store says about a task's dialing: the customers its sealed batches hold, the
/// call streams it created, the customers' contact streams, and the callee and caller-number
/// history the compliance gate and the number chooser need. Read from the events themselves
/// (not a projection) because the dialer must never act on a lagging view: a customer dialed a
/// moment ago must already count. Partial indexes (Schema/0110_dialer_indexes.sql) keep these
/// look-ups off a scan of es_events.
/// </summary>
public sealed class TaskAttempts(PostgresEventStore store)
{
    private readonly Dictionary<string, IReadOnlyList<TaskCustomer>> _sealedBatches = [];

    /// <summary>Every customer of the task's sealed batches, in batch then row order (a sealed batch never changes, so it is read once).</summary>
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
            if (!_sealedBatches.TryGetValue(batch, out var rows))
            {
                var read = new List<TaskCustomer>();
                foreach (var e in await store.ReadStreamAsync(tenant, batch, 1, cancellationToken))
                {
                    if (e.Data is CustomerBatchEvent.CustomersAdded added)
                    {
                        read.AddRange(added.Customers.OrderBy(c => c.Row));
                    }
                }

                _sealedBatches[batch] = rows = read;
            }

            customers.AddRange(rows);
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
                   exists (select 1 from es_events h where h.tenant_id = c.tenant_id and h.stream_id = c.stream_id and h.type = 'call.hung_up.v1'),
                   c.data->>'called'
            from es_events c
            left join es_events d on d.tenant_id = c.tenant_id and d.stream_id = c.stream_id and d.version = 2 and d.type = 'call.dialing_started.v1'
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
                dialed ? int.Parse(reader.GetString(2), CultureInfo.InvariantCulture) : 0,
                dialed,
                reader.GetBoolean(3),
                reader.GetString(4)));
        }

        return attempts;
    }

    /// <summary>Each customer's newest contact event in the task (customers without one have only had first attempts, or none).</summary>
    public async Task<IReadOnlyList<ContactStatus>> ContactsAsync(Guid tenantId, Guid taskId, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            select distinct on (stream_id) type, data::text
            from es_events
            where tenant_id = $1 and data->>'taskId' = $2
              and type in ('dialing_contact.redial_scheduled.v1', 'dialing_contact.redial_due.v1', 'dialing_contact.dial_refused.v1')
            order by stream_id, version desc
            """,
            connection);
        command.Parameters.AddWithValue(Deciders.TenantKey(tenantId));
        command.Parameters.AddWithValue(taskId.ToString());
        var result = new List<ContactStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (store.Registry.Deserialize(reader.GetString(0), reader.GetString(1)).Data is DialingContactEvent contact)
            {
                result.Add(new ContactStatus(contact.CustomerId, contact));
            }
        }

        return result;
    }

    /// <summary>The task's refusals, newest first (what a supervisor reads to learn why a number was not dialed).</summary>
    public async Task<IReadOnlyList<DialingContactEvent.DialRefused>> RefusalsAsync(Guid tenantId, Guid taskId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            select type, data::text from es_events
            where tenant_id = $1 and data->>'taskId' = $2 and type = 'dialing_contact.dial_refused.v1'
            order by seq_id desc limit $3
            """,
            connection);
        command.Parameters.AddWithValue(Deciders.TenantKey(tenantId));
        command.Parameters.AddWithValue(taskId.ToString());
        command.Parameters.AddWithValue(limit);
        var result = new List<DialingContactEvent.DialRefused>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (store.Registry.Deserialize(reader.GetString(0), reader.GetString(1)).Data is DialingContactEvent.DialRefused refused)
            {
                result.Add(refused);
            }
        }

        return result;
    }

    /// <summary>
    /// The tenant's calls to <paramref name="callee"/> since <paramref name="since"/> (every task),
    /// with the caller number each presented and whether it reached the person: the per-callee and
    /// per-pair limits are counted on these. An agent's manual call is dialed later in its stream
    /// (after the agent's phone answered) and counts the same.
    /// </summary>
    public async Task<ContactHistory> CalleeHistoryAsync(Guid tenantId, string callee, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            select coalesce(c.data->>'taskId', ''), d.data->>'callerId', d.timestamp,
                   exists (select 1 from es_events a where a.tenant_id = c.tenant_id and a.stream_id = c.stream_id and a.type = 'call.answered.v1')
            from es_events c
            join es_events d on d.tenant_id = c.tenant_id and d.stream_id = c.stream_id and d.type = 'call.dialing_started.v1'
            where c.tenant_id = $1 and c.type = 'call.outbound_created.v1' and c.data->>'called' = $2 and d.timestamp > $3
            """,
            connection);
        command.Parameters.AddWithValue(Deciders.TenantKey(tenantId));
        command.Parameters.AddWithValue(callee);
        command.Parameters.AddWithValue(since.ToUniversalTime());
        var attempts = ImmutableList.CreateBuilder<ContactAttempt>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new ContactAttempt(reader.GetString(0), callee, reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetBoolean(3)));
        }

        return new ContactHistory(attempts.ToImmutable());
    }

    /// <summary>Calls placed from each of <paramref name="numbers"/> in the last 24 hours, across the tenant (caps and even spread).</summary>
    public async Task<NumberUsage> UsageAsync(Guid tenantId, IReadOnlyCollection<string> numbers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var usage = NumberUsage.Empty;
        if (numbers.Count == 0)
        {
            return usage;
        }

        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            select data->>'callerId', timestamp from es_events
            where tenant_id = $1 and type = 'call.dialing_started.v1' and timestamp > $2 and data->>'callerId' = any($3)
            order by timestamp
            """,
            connection);
        command.Parameters.AddWithValue(Deciders.TenantKey(tenantId));
        command.Parameters.AddWithValue((now - TimeSpan.FromHours(24)).ToUniversalTime());
        command.Parameters.AddWithValue(numbers.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            usage = usage.Record(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1));
        }

        return usage;
    }
}
