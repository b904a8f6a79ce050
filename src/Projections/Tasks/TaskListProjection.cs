using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Npgsql;

namespace Aicc.Projections.Tasks;

/// <summary>
/// The task list and the per-task set of accepted numbers, updated in the append's transaction:
/// a created task is listed the moment POST returns, and an upload sees every number an
/// earlier upload accepted.
/// </summary>
public sealed class TaskListProjection : IInlineProjection
{
    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var recorded in events)
        {
            switch (recorded.Data)
            {
                case CallTaskEvent.Created e:
                    await ExecuteAsync(connection, transaction, cancellationToken,
                        """
                        insert into task_list (tenant, task_id, name, state, version, created_at, updated_at)
                        values ($1, $2, $3, 'draft', $4, $5, $5) on conflict do nothing
                        """,
                        recorded.Tenant, e.TaskId, e.Name, recorded.Version, e.CreatedAt);
                    break;
                case CallTaskEvent.CustomerBatchAccepted e:
                    await ExecuteAsync(connection, transaction, cancellationToken,
                        """
                        update task_list set customer_count = customer_count + $3, batch_count = batch_count + 1, version = $4, updated_at = $5
                        where tenant = $1 and task_id = $2
                        """,
                        recorded.Tenant, e.TaskId, e.Accepted, recorded.Version, e.AcceptedAt);
                    break;
                case CallTaskEvent taskEvent:
                    var (taskId, name, state) = Describe(taskEvent);
                    await ExecuteAsync(connection, transaction, cancellationToken,
                        """
                        update task_list set name = coalesce($3, name), state = coalesce($4, state), version = $5, updated_at = $6
                        where tenant = $1 and task_id = $2
                        """,
                        recorded.Tenant, taskId, (object?)name ?? DBNull.Value, (object?)state ?? DBNull.Value, recorded.Version, recorded.Timestamp);
                    break;
                case CustomerBatchEvent.CustomersAdded e:
                    await InsertNumbersAsync(connection, transaction, recorded.Tenant, e, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>The task a task event belongs to, and the name or state it sets (null: unchanged).</summary>
    private static (Guid TaskId, string? Name, string? State) Describe(CallTaskEvent e) => e switch
    {
        CallTaskEvent.Renamed r => (r.TaskId, r.Name, null),
        CallTaskEvent.Started s => (s.TaskId, null, "running"),
        CallTaskEvent.Paused p => (p.TaskId, null, "paused"),
        CallTaskEvent.Resumed r => (r.TaskId, null, "running"),
        CallTaskEvent.Completed c => (c.TaskId, null, "completed"),
        CallTaskEvent.Cancelled c => (c.TaskId, null, "cancelled"),
        CallTaskEvent.LineSet x => (x.TaskId, null, null),
        CallTaskEvent.HandlerSet x => (x.TaskId, null, null),
        CallTaskEvent.PacingSet x => (x.TaskId, null, null),
        CallTaskEvent.CallingWindowsSet x => (x.TaskId, null, null),
        CallTaskEvent.RetryPolicySet x => (x.TaskId, null, null),
        CallTaskEvent.RateLimitSet x => (x.TaskId, null, null),
        CallTaskEvent.DispositionsSet x => (x.TaskId, null, null),
        CallTaskEvent.NumberPoolSet x => (x.TaskId, null, null),
        CallTaskEvent.Created x => (x.TaskId, x.Name, "draft"),
        CallTaskEvent.CustomerBatchAccepted x => (x.TaskId, null, null),
        _ => throw new InvalidOperationException($"Unhandled task event {e.GetType().Name}."),
    };

    private static async Task InsertNumbersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, CustomerBatchEvent.CustomersAdded e, CancellationToken cancellationToken)
    {
        var batch = await TaskOfBatchAsync(connection, transaction, tenant, e.BatchId, cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            insert into task_phone_numbers (tenant, task_id, e164, batch_id, customer_id)
            select $1, $2, n.e164, $3, n.customer_id from unnest($4::text[], $5::uuid[]) as n(e164, customer_id)
            on conflict do nothing
            """, connection, transaction);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(batch);
        command.Parameters.AddWithValue(e.BatchId);
        command.Parameters.AddWithValue(e.Customers.Select(c => c.Phone.E164).ToArray());
        command.Parameters.AddWithValue(e.Customers.Select(c => c.CustomerId).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A batch's task, from its Opened event (in this transaction or earlier).</summary>
    private static async Task<Guid> TaskOfBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, Guid batchId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "select (data->>'taskId')::uuid from es_events where tenant_id = $1 and stream_id = $2 and version = 1",
            connection, transaction);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue($"customer_batch-{batchId}");
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?
            ?? throw new InvalidOperationException($"Customer batch {batchId} has no Opened event.");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in parameters)
        {
            command.Parameters.AddWithValue(value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
