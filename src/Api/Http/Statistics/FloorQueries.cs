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
/// The wallboard's floor per task and per skill group (calls waiting and in progress now; calls
/// placed, answered, abandoned, the rates and handle time of the last 60 minutes; agents by
/// state), read from the floor projection and the agent board, and pushed as Server-Sent Events
/// when a projection moves (<see cref="ProjectionMoves"/>), never on a polling loop.
/// </summary>
public static class FloorQueries
{
    /// <summary>Re-read at least this often without a notification: the window rolls, a notification may be lost.</summary>
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(5);

    /// <summary>Reads of one stream are at least this far apart, so a burst of appends costs one read, not hundreds.</summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(150);

    private static readonly string[] Watched = [FloorProjection.ProjectionName];

    /// <summary>Open calls older than this are left out (a call a crash left open must not count as waiting for ever).</summary>
    private static readonly TimeSpan OpenCallHorizon = TimeSpan.FromDays(1);

    /// <summary>
    /// Figures of one scope. Rates are shares (0-1), null until there is something to divide by:
    /// answer rate = answered / calls that got an answer or ended without one; abandon rate =
    /// abandoned / answered (the dialer's definition, the one the task's cap is about).
    /// </summary>
    public sealed record FloorFigures(
        int Waiting, int InProgress, int Placed, int Answered, int Abandoned, double? AnswerRate, double? AbandonRate,
        double AverageHandleSeconds, DateTimeOffset? OldestWaitingSince);

    /// <summary>Per-minute counts aligned with <see cref="Floor.Minutes"/>, for the small charts.</summary>
    public sealed record FloorSeries(IReadOnlyList<int> Answered, IReadOnlyList<int> Abandoned);

    /// <summary>A task's figures and whether its abandon rate is above the cap it must keep.</summary>
    public sealed record TaskFloor(Guid TaskId, string Name, string? SkillGroup, double AbandonCap, bool OverCap, FloorFigures Figures, FloorSeries Series);

    /// <summary>A skill group's figures and its agents by state.</summary>
    public sealed record SkillGroupFloor(string SkillGroup, FloorFigures Figures, IReadOnlyDictionary<string, int> Agents, FloorSeries Series);

    /// <summary>The whole floor of the caller's tenant.</summary>
    public sealed record Floor(
        DateTimeOffset From, DateTimeOffset To, IReadOnlyList<DateTimeOffset> Minutes, FloorFigures Totals, FloorSeries Series,
        IReadOnlyDictionary<string, int> Agents, IReadOnlyList<TaskFloor> Tasks, IReadOnlyList<SkillGroupFloor> SkillGroups);

    public static IEndpointRouteBuilder MapFloorQueries(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/stats/floor", async (ClaimsPrincipal user, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken) =>
                TypedResults.Ok(await ReadAsync(dataSource, user.Tenant(), clock.GetUtcNow(), cancellationToken)))
            .RequireAuthorization(policy).WithTags("Statistics").WithName("Floor")
            .WithSummary("The floor per task and per skill group: calls waiting and in progress now; placed, answered, abandoned, answer and abandon rates (against the task's cap) and average handle time over the last 60 minutes; agents by state.");
        app.MapGet("/api/v1/stats/floor/stream", (ClaimsPrincipal user, FloorReads reads, TimeProvider clock, ProjectionMoves moves,
                IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
                TypedResults.ServerSentEvents(PushAsync(reads, moves, user.Tenant(), clock, json.Value.SerializerOptions, cancellationToken), "floor"))
            .RequireAuthorization(policy).WithTags("Statistics").WithName("FloorStream")
            .WithSummary("Server-Sent Events: the floor (same as /stats/floor), pushed when the floor projection moves and the figures changed.");
        return app;
    }

    private static async IAsyncEnumerable<Floor> PushAsync(
        FloorReads reads, ProjectionMoves moves, string tenant, TimeProvider clock, JsonSerializerOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = moves.Next;
        string? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var lastRead = clock.GetTimestamp();
            Floor floor;
            try
            {
                floor = await reads.ReadAsync(tenant, lastRead, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            var figures = JsonSerializer.Serialize(floor, options);
            if (figures != last)
            {
                last = figures;
                yield return floor;
            }

            try
            {
                next = await ProjectionMoves.WaitAsync(next, Watched, Fallback, clock, cancellationToken);
                var since = clock.GetElapsedTime(lastRead);
                if (since < Coalesce)
                {
                    await Task.Delay(Coalesce - since, clock, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <summary>The floor at <paramref name="now"/>: open calls now, finished ones of the 60 minutes up to now.</summary>
    public static async Task<Floor> ReadAsync(NpgsqlDataSource dataSource, string tenant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var to = LiveStatsProjection.MinuteOf(now).AddMinutes(1);
        var from = to.AddMinutes(-60);
        var minutes = Enumerable.Range(0, 60).Select(i => from.AddMinutes(i)).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        var figures = new Dictionary<(string Kind, string Key), FloorFigures>();
        await using (var command = new NpgsqlCommand(
            $"""
            with calls as (
                select f.*, coalesce(f.skill_group, t.skill_group) as grp
                from floor_calls f left join floor_tasks t on t.tenant = f.tenant and t.task_id = f.task_id
                where f.tenant = $1 and (f.created_at >= $2 or (f.status <> 'ended' and f.created_at >= $3))
            )
            select grouping(task_id), grouping(grp), task_id, grp,
                count(*) filter (where status = 'waiting'),
                count(*) filter (where status = 'in_progress'),
                count(*) filter (where created_at >= $2),
                count(*) filter (where created_at >= $2 and answered_at is not null),
                count(*) filter (where created_at >= $2 and status = 'ended' and answered_at is null),
                count(*) filter (where created_at >= $2 and outcome = 'abandoned'),
                count(*) filter (where created_at >= $2 and handle_seconds is not null),
                coalesce(sum(handle_seconds) filter (where created_at >= $2), 0),
                min(waiting_since) filter (where status = 'waiting')
            from calls
            group by grouping sets ((task_id), (grp), ())
            """, connection))
        {
            command.Parameters.AddWithValue(tenant);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = from });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = from - OpenCallHorizon });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = Scope(reader.GetInt32(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.IsDBNull(3) ? null : reader.GetString(3));
                if (key is null)
                {
                    continue;
                }

                var (answered, unanswered, abandoned, handled) = ((int)reader.GetInt64(7), (int)reader.GetInt64(8), (int)reader.GetInt64(9), (int)reader.GetInt64(10));
                figures[key.Value] = new FloorFigures(
                    (int)reader.GetInt64(4), (int)reader.GetInt64(5), (int)reader.GetInt64(6), answered, abandoned,
                    answered + unanswered == 0 ? null : Math.Round((double)answered / (answered + unanswered), 4),
                    answered == 0 ? null : Math.Round((double)abandoned / answered, 4),
                    handled == 0 ? 0 : Math.Round(reader.GetDouble(11) / handled, 1),
                    reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12));
            }
        }

        var series = new Dictionary<(string Kind, string Key), (int[] Answered, int[] Abandoned)>();
        await using (var command = new NpgsqlCommand(
            """
            with calls as (
                select f.task_id, coalesce(f.skill_group, t.skill_group) as grp, f.answered_at, f.ended_at, f.outcome
                from floor_calls f left join floor_tasks t on t.tenant = f.tenant and t.task_id = f.task_id
                where f.tenant = $1 and f.created_at >= $3 and (f.answered_at >= $2 or f.ended_at >= $2)
            ), marks as (
                select task_id, grp, date_trunc('minute', answered_at) as minute, 1 as answered, 0 as abandoned from calls where answered_at >= $2
                union all
                select task_id, grp, date_trunc('minute', ended_at), 0, 1 from calls where outcome = 'abandoned' and ended_at >= $2
            )
            select grouping(task_id), grouping(grp), task_id, grp, minute, sum(answered)::int, sum(abandoned)::int
            from marks
            group by grouping sets ((task_id, minute), (grp, minute), (minute))
            """, connection))
        {
            command.Parameters.AddWithValue(tenant);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = from });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = from - OpenCallHorizon });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = Scope(reader.GetInt32(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.IsDBNull(3) ? null : reader.GetString(3));
                var index = (int)(reader.GetFieldValue<DateTimeOffset>(4) - from).TotalMinutes;
                if (key is null || index is < 0 or >= 60)
                {
                    continue;
                }

                if (!series.TryGetValue(key.Value, out var row))
                {
                    row = (new int[60], new int[60]);
                    series[key.Value] = row;
                }

                row.Answered[index] += reader.GetInt32(5);
                row.Abandoned[index] += reader.GetInt32(6);
            }
        }

        var agents = new Dictionary<string, Dictionary<string, int>>();
        await using (var command = new NpgsqlCommand(
            """
            select grouping(g), g, state, count(distinct agent_id)::int
            from agent_board left join lateral unnest(skill_groups) as g on true
            where tenant = $1 and not removed
            group by grouping sets ((g, state), (state))
            """, connection))
        {
            command.Parameters.AddWithValue(tenant);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // The tenant-wide row counts each seat once, whatever number of groups it serves.
                var group = reader.GetInt32(0) == 1 ? "" : reader.IsDBNull(1) ? null : reader.GetString(1);
                if (group is null)
                {
                    continue;
                }

                if (!agents.TryGetValue(group, out var counts))
                {
                    counts = new Dictionary<string, int>();
                    agents[group] = counts;
                }

                counts[reader.GetString(2)] = reader.GetInt32(3);
            }
        }

        var tasks = new List<TaskFloor>();
        await using (var command = new NpgsqlCommand(
            """
            select t.task_id, t.name, t.skill_group, t.abandon_cap
            from floor_tasks t left join task_list l on l.tenant = t.tenant and l.task_id = t.task_id
            where t.tenant = $1 and (l.state = 'running' or t.task_id = any ($2))
            order by t.name, t.task_id
            """, connection))
        {
            command.Parameters.AddWithValue(tenant);
            command.Parameters.AddWithValue(figures.Keys.Where(k => k.Kind == "task").Select(k => Guid.Parse(k.Key)).ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var taskId = reader.GetGuid(0);
                var scope = ("task", taskId.ToString());
                var taskFigures = figures.GetValueOrDefault(scope) ?? Empty;
                var cap = reader.GetDouble(3);
                tasks.Add(new TaskFloor(
                    taskId, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), cap,
                    taskFigures.AbandonRate > cap, taskFigures, Series(series, scope)));
            }
        }

        var groups = figures.Keys.Where(k => k.Kind == "group").Select(k => k.Key).Union(agents.Keys.Where(g => g.Length > 0))
            .Order(StringComparer.Ordinal)
            .Select(group => new SkillGroupFloor(
                group, figures.GetValueOrDefault(("group", group)) ?? Empty,
                agents.GetValueOrDefault(group) ?? new Dictionary<string, int>(), Series(series, ("group", group))))
            .ToList();
        return new Floor(
            from, to, minutes, figures.GetValueOrDefault(("all", "")) ?? Empty, Series(series, ("all", "")),
            agents.GetValueOrDefault("") ?? new Dictionary<string, int>(), tasks, groups);
    }

    private static readonly FloorFigures Empty = new(0, 0, 0, 0, 0, null, null, 0, null);

    private static (string Kind, string Key)? Scope(int taskGrouped, int groupGrouped, Guid? taskId, string? group) => (taskGrouped, groupGrouped) switch
    {
        (1, 1) => ("all", ""),
        (0, 1) => taskId is { } id ? ("task", id.ToString()) : null,
        (1, 0) => group is { } name ? ("group", name) : null,
        _ => null,
    };

    private static FloorSeries Series(Dictionary<(string Kind, string Key), (int[] Answered, int[] Abandoned)> series, (string, string) scope) =>
        series.TryGetValue(scope, out var row) ? new FloorSeries(row.Answered, row.Abandoned) : new FloorSeries(new int[60], new int[60]);
}
