using System.Text.Json;
using Aicc.Domain.Calls;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.EventStore.Projections;
using Npgsql;
using NpgsqlTypes;

namespace Aicc.Projections.Statistics;

/// <summary>
/// Task progress (seed 002's 任务进度): how many customers a task has and where each stands after
/// their latest call. Whether a failed customer is exhausted is the task's own retry policy's
/// answer (<see cref="RetryPolicy.NextAttemptAt"/>), so the figure matches what the dialer does.
/// </summary>
public sealed class TaskProgressProjection(PostgresEventStore store) : IAsyncProjection
{
    public const string ProjectionName = "task-progress";

    public string Name => ProjectionName;

    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var recorded in events)
        {
            switch (recorded.Data)
            {
                case CallTaskEvent.Created e:
                    await ExecuteAsync(connection, transaction, cancellationToken,
                        "insert into task_progress (tenant, task_id, retry_policy) values ($1, $2, $3) on conflict do nothing",
                        recorded.Tenant, e.TaskId, JsonSerializer.Serialize(e.Retry, store.Registry.SerializerOptions));
                    break;
                case CallTaskEvent.RetryPolicySet e:
                    await ExecuteAsync(connection, transaction, cancellationToken,
                        "update task_progress set retry_policy = $3 where tenant = $1 and task_id = $2",
                        recorded.Tenant, e.TaskId, JsonSerializer.Serialize(e.Retry, store.Registry.SerializerOptions));
                    break;
                case CallTaskEvent.CustomerBatchAccepted e:
                    await ExecuteAsync(connection, transaction, cancellationToken,
                        "update task_progress set total = total + $3 where tenant = $1 and task_id = $2",
                        recorded.Tenant, e.TaskId, e.Accepted);
                    break;
            }
        }

        var latest = (await CallFolding.FoldAsync(store, connection, transaction, events, cancellationToken))
            .GroupBy(x => (x.Recorded.Tenant, x.Recorded.StreamId))
            .Select(g => (g.Key.Tenant, Call: g.Last().After));
        foreach (var (tenant, call) in latest)
        {
            if (call is Call.Existing { Info.TaskId: { } taskId } existing)
            {
                await RecordCallAsync(connection, transaction, tenant, taskId, existing, cancellationToken);
            }
        }
    }

    public async Task ResetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("truncate task_progress, task_progress_calls, task_progress_customers", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RecordCallAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, Guid taskId, Call.Existing call, CancellationToken cancellationToken)
    {
        var info = call.Info;
        string status;
        string? outcome = null;
        if (call is Call.Ended ended)
        {
            outcome = ended.Outcome.ToString().ToLowerInvariant();
            status = ended.Outcome == CallOutcome.Answered ? "answered" : await RetryStatusAsync(connection, transaction, tenant, taskId, ended, cancellationToken);
        }
        else
        {
            status = "dialing";
        }

        await using var callRow = new NpgsqlCommand(
            """
            insert into task_progress_calls (tenant, call_id, task_id, customer_id, created_at, status, outcome) values ($1, $2, $3, $4, $5, $6, $7)
            on conflict (tenant, call_id) do update set status = excluded.status, outcome = excluded.outcome
            """, connection, transaction);
        AddParameters(callRow, tenant, info.CallId, taskId, info.CustomerId, info.Timeline.CreatedAt, status, outcome);
        await callRow.ExecuteNonQueryAsync(cancellationToken);
        if (info.CustomerId is null)
        {
            return;
        }

        // A customer stands where their latest call left them; a late event of an older attempt changes nothing.
        await using var customer = new NpgsqlCommand(
            """
            insert into task_progress_customers (tenant, task_id, customer_id, status, last_call_id, last_created_at)
            values ($1, $3, $4, $6, $2, $5)
            on conflict (tenant, task_id, customer_id) do update set status = excluded.status, last_call_id = excluded.last_call_id,
                last_created_at = excluded.last_created_at
            where task_progress_customers.last_created_at <= excluded.last_created_at
            """, connection, transaction);
        AddParameters(customer, tenant, info.CallId, taskId, info.CustomerId, info.Timeline.CreatedAt, status, null);
        customer.Parameters.RemoveAt(6); // the outcome ($7) is a call's, not the customer's
        await customer.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>failed while the task's retry policy grants another attempt for this outcome, exhausted after.</summary>
    private async Task<string> RetryStatusAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, Guid taskId, Call.Ended ended, CancellationToken cancellationToken)
    {
        if (ended.Outcome.AsRetryOutcome() is not { } retryOutcome)
        {
            return "failed";
        }

        await using var command = new NpgsqlCommand("select retry_policy from task_progress where tenant = $1 and task_id = $2", connection, transaction);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(taskId);
        var json = await command.ExecuteScalarAsync(cancellationToken) as string;
        var policy = json is null ? RetryPolicy.Default : JsonSerializer.Deserialize<RetryPolicy>(json, store.Registry.SerializerOptions) ?? RetryPolicy.Default;
        var closedAt = ended.Info.Timeline.ClosedAt ?? ended.Info.Timeline.CreatedAt;
        return policy.NextAttemptAt(retryOutcome, Math.Max(1, ended.Info.Attempt), closedAt) is null ? "exhausted" : "failed";
    }

    private static void AddParameters(NpgsqlCommand command, string tenant, Guid callId, Guid taskId, Guid? customerId, DateTimeOffset createdAt, string status, string? outcome)
    {
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(callId);
        command.Parameters.AddWithValue(taskId);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)customerId ?? DBNull.Value });
        command.Parameters.AddWithValue(createdAt);
        command.Parameters.AddWithValue(status);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)outcome ?? DBNull.Value });
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
