using System.Security.Claims;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Aicc.Handlers.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Tasks;

/// <summary>
/// Reading tasks. One task is folded from its stream (always current, with its version as
/// ETag for If-Match); lists come from the task_list read model, which is written inline.
/// </summary>
public static class TaskQueries
{
    /// <summary>One task with all its settings.</summary>
    public sealed record TaskDetail(Guid Id, string Name, string State, long Version, TaskSetup Setup);

    /// <summary>A row of the task list.</summary>
    public sealed record TaskSummary(Guid Id, string Name, string State, long Version, int CustomerCount, int BatchCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    /// <summary>A page of tasks, newest first.</summary>
    public sealed record TaskPage(IReadOnlyList<TaskSummary> Items, long Total, int Limit, int Offset);

    public static IEndpointRouteBuilder MapTaskQueries(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/tasks/{taskId:guid}", GetAsync).RequireAuthorization(policy).WithTags("Tasks").WithName("GetTask")
            .WithSummary("One task with its settings; the ETag is its version, for If-Match on later commands.");
        app.MapGet("/api/v1/tasks", ListAsync).RequireAuthorization(policy).WithTags("Tasks").WithName("ListTasks")
            .WithSummary("The caller's tenant's tasks, newest first (limit 1-500, default 50).");
        return app;
    }

    private static async Task<Results<Ok<TaskDetail>, ProblemHttpResult>> GetAsync(
        Guid taskId, ClaimsPrincipal user, HttpResponse response, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var (state, version) = await CommandRunner.LoadAsync(store, Deciders.Task, user.Tenant(), Deciders.Task.StreamId(taskId), cancellationToken);
        if (state is not CallTask.Existing existing)
        {
            return Problems.NotFound("task", taskId);
        }

        Versions.SetETag(response, version);
        return TypedResults.Ok(new TaskDetail(taskId, existing.Setup.Name, TaskStates.Name(state), version, existing.Setup));
    }

    private static async Task<Results<Ok<TaskPage>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken cancellationToken, int limit = 50, int offset = 0, string? state = null)
    {
        if (limit is < 1 or > 500 || offset < 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [limit is < 1 or > 500 ? "limit" : "offset"] = [limit is < 1 or > 500 ? "Between 1 and 500." : "Zero or more."],
            });
        }

        await using var command = dataSource.CreateCommand(
            """
            select task_id, name, state, version, customer_count, batch_count, created_at, updated_at, count(*) over ()
            from task_list where tenant = $1 and ($2::text is null or state = $2)
            order by created_at desc, task_id limit $3 offset $4
            """);
        command.Parameters.AddWithValue(user.Tenant());
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)state ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.AddWithValue(limit);
        command.Parameters.AddWithValue(offset);
        var items = new List<TaskSummary>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new TaskSummary(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt32(4),
                reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7)));
            total = reader.GetInt64(8);
        }

        return TypedResults.Ok(new TaskPage(items, total, limit, offset));
    }
}
