using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Aicc.Handlers.Http;
using Aicc.Projections.Statistics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Aicc.Api.Http.Statistics;

/// <summary>
/// Task progress and live statistics, read from their async projections; and a Server-Sent
/// Events stream for wallboards that pushes the live figures whenever the projection moves and
/// the caller's figures changed (woken by the checkpoint's notification, <see cref="ProjectionMoves"/>).
/// </summary>
public static class StatisticsQueries
{
    /// <summary>Re-read this often without a notification: the window rolls, a notification may be lost.</summary>
    private static readonly TimeSpan StreamFallback = TimeSpan.FromSeconds(5);

    private static readonly string[] Watched = [LiveStatsProjection.ProjectionName];

    /// <summary>Where a task's customers stand, and its answer and abandon rates (shares, 0-1).</summary>
    public sealed record TaskProgress(
        Guid TaskId, int Total, int Pending, int Dialing, int Answered, int Failed, int Exhausted,
        int CallsEnded, double AnswerRate, double AbandonRate);

    /// <summary>One minute of live figures; occupancy is busy / (busy + idle ready) agent time.</summary>
    public sealed record MinuteStats(DateTimeOffset Minute, int Placed, int Answered, int Abandoned, double AverageHandleSeconds, double? Occupancy);

    /// <summary>The figures of a window, per minute and in total.</summary>
    public sealed record LiveStats(DateTimeOffset From, DateTimeOffset To, Guid? TaskId, IReadOnlyList<MinuteStats> Minutes, MinuteStats Totals);

    public static IEndpointRouteBuilder MapStatisticsQueries(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/tasks/{taskId:guid}/progress", ProgressAsync).RequireAuthorization(policy).WithTags("Tasks").WithName("TaskProgress")
            .WithSummary("Customers total/pending/dialing/answered/failed (will retry)/exhausted, answer rate and abandon rate.");
        app.MapGet("/api/v1/stats/live", LiveAsync).RequireAuthorization(policy).WithTags("Statistics").WithName("LiveStats")
            .WithSummary("Per-minute calls placed, answered, abandoned, average handle time and agent occupancy for the tenant or one task (default: the last 60 minutes).");
        app.MapGet("/api/v1/stats/stream", Stream).RequireAuthorization(policy).WithTags("Statistics").WithName("LiveStatsStream")
            .WithSummary("Server-Sent Events: the live statistics (same query as /stats/live), pushed whenever they change.");
        return app;
    }

    private static async Task<Results<Ok<TaskProgress>, ProblemHttpResult>> ProgressAsync(
        Guid taskId, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select t.task_id,
                coalesce((select total from task_progress p where p.tenant = t.tenant and p.task_id = t.task_id), 0),
                count(c.*) filter (where c.status = 'dialing'), count(c.*) filter (where c.status = 'answered'),
                count(c.*) filter (where c.status = 'failed'), count(c.*) filter (where c.status = 'exhausted'),
                (select count(*) filter (where outcome is not null) from task_progress_calls k where k.tenant = t.tenant and k.task_id = t.task_id),
                (select count(*) filter (where outcome = 'answered') from task_progress_calls k where k.tenant = t.tenant and k.task_id = t.task_id),
                (select count(*) filter (where outcome = 'abandoned') from task_progress_calls k where k.tenant = t.tenant and k.task_id = t.task_id)
            from task_list t left join task_progress_customers c on c.tenant = t.tenant and c.task_id = t.task_id
            where t.tenant = $1 and t.task_id = $2
            group by t.tenant, t.task_id
            """);
        command.Parameters.AddWithValue(user.Tenant());
        command.Parameters.AddWithValue(taskId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return Problems.NotFound("task", taskId);
        }

        var total = reader.GetInt32(1);
        var (dialing, answered, failed, exhausted) = ((int)reader.GetInt64(2), (int)reader.GetInt64(3), (int)reader.GetInt64(4), (int)reader.GetInt64(5));
        var (ended, answeredCalls, abandonedCalls) = (reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8));
        return TypedResults.Ok(new TaskProgress(
            taskId, total, Math.Max(0, total - dialing - answered - failed - exhausted), dialing, answered, failed, exhausted, (int)ended,
            ended == 0 ? 0 : (double)answeredCalls / ended,
            answeredCalls + abandonedCalls == 0 ? 0 : (double)abandonedCalls / (answeredCalls + abandonedCalls)));
    }

    private static async Task<Results<Ok<LiveStats>, ValidationProblem>> LiveAsync(
        ClaimsPrincipal user, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null, Guid? taskId = null)
    {
        if (Window(clock, from, to) is not { } window)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["After from, at most 7 days later."] });
        }

        return TypedResults.Ok(await ReadAsync(dataSource, user.Tenant(), window.From, window.To, taskId, cancellationToken));
    }

    private static Results<ServerSentEventsResult<LiveStats>, ValidationProblem> Stream(
        ClaimsPrincipal user, NpgsqlDataSource dataSource, TimeProvider clock, ProjectionMoves moves, IOptions<JsonOptions> json, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null, Guid? taskId = null)
    {
        if (Window(clock, from, to) is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["After from, at most 7 days later."] });
        }

        return TypedResults.ServerSentEvents(
            PushAsync(dataSource, moves, user.Tenant(), clock, from, to, taskId, json.Value.SerializerOptions, cancellationToken), "stats");
    }

    /// <summary>Sends the figures at once, then again whenever the projection's checkpoint moved and they differ.</summary>
    private static async IAsyncEnumerable<LiveStats> PushAsync(
        NpgsqlDataSource dataSource, ProjectionMoves moves, string tenant, TimeProvider clock, DateTimeOffset? from, DateTimeOffset? to, Guid? taskId,
        JsonSerializerOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = moves.Next;
        string? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var window = Window(clock, from, to)!.Value;
            var stats = await ReadAsync(dataSource, tenant, window.From, window.To, taskId, cancellationToken);
            var figures = JsonSerializer.Serialize(stats.Minutes, options);
            if (figures != last)
            {
                last = figures;
                yield return stats;
            }

            try
            {
                next = await ProjectionMoves.WaitAsync(next, Watched, StreamFallback, clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    private static (DateTimeOffset From, DateTimeOffset To)? Window(TimeProvider clock, DateTimeOffset? from, DateTimeOffset? to)
    {
        var end = to ?? LiveStatsProjection.MinuteOf(clock.GetUtcNow()).AddMinutes(1);
        var start = from ?? end.AddMinutes(-60);
        return end > start && end - start <= TimeSpan.FromDays(7) ? (start, end) : null;
    }

    private static async Task<LiveStats> ReadAsync(NpgsqlDataSource dataSource, string tenant, DateTimeOffset from, DateTimeOffset to, Guid? taskId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select s.minute, s.placed, s.answered, s.abandoned, s.handled, s.handle_seconds, a.busy_seconds, a.idle_seconds
            from live_stats s
            left join live_stats a on a.tenant = s.tenant and a.task_id = '00000000-0000-0000-0000-000000000000' and a.minute = s.minute
            where s.tenant = $1 and s.task_id = $2 and s.minute >= $3 and s.minute < $4
            order by s.minute
            """);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(taskId ?? Guid.Empty);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = from });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = to });
        var minutes = new List<MinuteStats>();
        var (placed, answered, abandoned, handled, handleSeconds, busy, idle) = (0, 0, 0, 0, 0.0, 0.0, 0.0);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = (P: reader.GetInt32(1), A: reader.GetInt32(2), Ab: reader.GetInt32(3), H: reader.GetInt32(4), Hs: reader.GetDouble(5),
                B: reader.IsDBNull(6) ? 0 : reader.GetDouble(6), I: reader.IsDBNull(7) ? 0 : reader.GetDouble(7));
            minutes.Add(new MinuteStats(reader.GetFieldValue<DateTimeOffset>(0), row.P, row.A, row.Ab, Average(row.Hs, row.H), Occupancy(row.B, row.I)));
            (placed, answered, abandoned, handled, handleSeconds, busy, idle) =
                (placed + row.P, answered + row.A, abandoned + row.Ab, handled + row.H, handleSeconds + row.Hs, busy + row.B, idle + row.I);
        }

        return new LiveStats(from, to, taskId, minutes, new MinuteStats(from, placed, answered, abandoned, Average(handleSeconds, handled), Occupancy(busy, idle)));
    }

    private static double Average(double seconds, int count) => count == 0 ? 0 : Math.Round(seconds / count, 1);

    private static double? Occupancy(double busy, double idle) => busy + idle <= 0 ? null : Math.Round(busy / (busy + idle), 3);
}
