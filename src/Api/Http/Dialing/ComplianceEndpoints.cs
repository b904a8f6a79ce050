using System.Security.Claims;
using Aicc.Domain;
using Aicc.Domain.Compliance;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Dialing;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Dialing;

/// <summary>
/// The tenant's outbound compliance over HTTP: white, black and do-not-call lists (add, remove,
/// check), the contact limits, why a task did not dial a number (its refusal events), and the
/// failure-feedback pool per line and reason for operators chasing a trunk.
/// </summary>
public static class ComplianceEndpoints
{
    /// <summary>Put a number on a list, and why.</summary>
    public sealed record ListRequest(string? Number, string? Reason);

    /// <summary>One entry of a list.</summary>
    public sealed record EntryRow(string List, string Number, string Source, string Reason, DateTimeOffset ListedAt);

    /// <summary>Where a number stands: on which lists, and whether the gate would let it through on list grounds.</summary>
    public sealed record CheckRow(string Number, bool Whitelisted, bool Blacklisted, bool DoNotCall, bool Dialable, IReadOnlyList<EntryRow> Entries);

    /// <summary>The tenant's contact limits: reached calls per callee per period, calls per caller/callee pair per period (null: none).</summary>
    public sealed record LimitsBody(int? PerCalleeMax, double? PerCalleePeriodHours, int? PerPairMax, double? PerPairPeriodHours);

    /// <summary>One refusal: which number, which attempt, the rule, the detail, when it is tried again.</summary>
    public sealed record RefusalRow(Guid CustomerId, string Callee, int Attempt, string Reason, string Detail, DateTimeOffset? RetryAfter, DateTimeOffset RefusedAt);

    /// <summary>Failures of one line for one reason, with some of the numbers that failed.</summary>
    public sealed record FailureRow(Guid LineId, string Reason, int Count, IReadOnlyList<string> Numbers);

    public static IEndpointRouteBuilder MapComplianceEndpoints(this IEndpointRouteBuilder app, string write, string read)
    {
        var lists = app.MapGroup("/api/v1/dial-lists").WithTags("Compliance");
        lists.MapGet("/{list}", ListAsync).RequireAuthorization(read).WithName("GetDialList")
            .WithSummary("The entries of a list: whitelist, blacklist or do-not-call.");
        lists.MapPost("/{list}/numbers", AddAsync).RequireAuthorization(write).WithName("AddToDialList")
            .WithSummary("Put a number on a list (source api). Listing a listed number changes nothing.");
        lists.MapDelete("/{list}/numbers/{number}", RemoveAsync).RequireAuthorization(write).WithName("RemoveFromDialList")
            .WithSummary("Take a number off a list.");
        app.MapGet("/api/v1/dial-check/{number}", CheckAsync).RequireAuthorization(read).WithTags("Compliance").WithName("CheckNumber")
            .WithSummary("Whether a number is on any list and may be dialed on list grounds (limits and windows are checked per call).");
        app.MapGet("/api/v1/dial-limits", GetLimitsAsync).RequireAuthorization(read).WithTags("Compliance").WithName("GetDialLimits")
            .WithSummary("The tenant's contact limits.");
        app.MapPut("/api/v1/dial-limits", SetLimitsAsync).RequireAuthorization(write).WithTags("Compliance").WithName("SetDialLimits")
            .WithSummary("Set the contact limits (e.g. one reached call per callee per 72 h across the tenant).");
        app.MapGet("/api/v1/tasks/{taskId:guid}/refusals", RefusalsAsync).RequireAuthorization(read).WithTags("Tasks").WithName("ListTaskRefusals")
            .WithSummary("Why the task did not dial numbers: each refusal with its rule and detail, newest first.");
        app.MapGet("/api/v1/dialing/failures", FailuresAsync).RequireAuthorization(read).WithTags("Compliance").WithName("FailureFeedback")
            .WithSummary("The failure-feedback pool: unreachable numbers and line faults per line and reason over the last hours (default 24).");
        return app;
    }

    private static DialListKind ParseList(string list) => list.ToLowerInvariant() switch
    {
        "whitelist" or "white" => DialListKind.Whitelist,
        "blacklist" or "black" => DialListKind.Blacklist,
        "do-not-call" or "donotcall" or "dnc" => DialListKind.DoNotCall,
        _ => throw new DomainException("dial_list.not_found", $"'{list}' is not a list: whitelist, blacklist or do-not-call."),
    };

    private static string Name(DialListKind kind) => kind switch
    {
        DialListKind.Whitelist => "whitelist",
        DialListKind.Blacklist => "blacklist",
        _ => "do-not-call",
    };

    private static string Normalize(string? number) =>
        PhoneNumber.TryParse(number, out var parsed, out _) ? parsed!.E164 : throw new DomainException("dial_list.invalid_number", $"'{number}' is not a phone number.");

    private static async Task<DialLists> LoadAsync(PostgresEventStore store, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await CommandRunner.LoadAsync(store, Deciders.DialLists, user.Tenant(), Deciders.DialLists.StreamId(user.TenantId()), cancellationToken)).State;

    private static IEnumerable<EntryRow> Rows(DialLists lists, DialListKind kind) =>
        lists.Lists.GetValueOrDefault(kind)?.Values.OrderBy(e => e.Number, StringComparer.Ordinal)
            .Select(e => new EntryRow(Name(kind), e.Number, e.Source.ToString().ToLowerInvariant(), e.Reason, e.ListedAt)) ?? [];

    private static async Task<Ok<List<EntryRow>>> ListAsync(string list, ClaimsPrincipal user, PostgresEventStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(Rows(await LoadAsync(store, user, cancellationToken), ParseList(list)).ToList());

    private static async Task<Ok<CheckRow>> AddAsync(string list, ListRequest request, ClaimsPrincipal user, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var number = Normalize(request.Number);
        await CommandRunner.RunAsync(store, Deciders.DialLists, user.Tenant(), Deciders.DialLists.StreamId(user.TenantId()),
            new DialListCommand.ListNumber(user.Tenant(), ParseList(list), number, ListingSource.Api, request.Reason ?? string.Empty, clock.GetUtcNow()),
            metadata: new EventMetadata(User: user.EmployeeKey()), cancellationToken: cancellationToken);
        return TypedResults.Ok(Check(await LoadAsync(store, user, cancellationToken), number));
    }

    private static async Task<Ok<CheckRow>> RemoveAsync(string list, string number, ClaimsPrincipal user, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var normalized = Normalize(number);
        await CommandRunner.RunAsync(store, Deciders.DialLists, user.Tenant(), Deciders.DialLists.StreamId(user.TenantId()),
            new DialListCommand.UnlistNumber(user.Tenant(), ParseList(list), normalized, "removed over the API", clock.GetUtcNow()),
            metadata: new EventMetadata(User: user.EmployeeKey()), cancellationToken: cancellationToken);
        return TypedResults.Ok(Check(await LoadAsync(store, user, cancellationToken), normalized));
    }

    private static async Task<Ok<CheckRow>> CheckAsync(string number, ClaimsPrincipal user, PostgresEventStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(Check(await LoadAsync(store, user, cancellationToken), Normalize(number)));

    private static CheckRow Check(DialLists lists, string number)
    {
        var white = lists.Contains(DialListKind.Whitelist, number);
        var black = lists.Contains(DialListKind.Blacklist, number);
        var dnc = lists.Contains(DialListKind.DoNotCall, number);
        var entries = Enum.GetValues<DialListKind>().SelectMany(k => Rows(lists, k)).Where(e => e.Number == number).ToList();
        return new CheckRow(number, white, black, dnc, white || (!black && !dnc), entries);
    }

    private static async Task<Ok<LimitsBody>> GetLimitsAsync(ClaimsPrincipal user, PostgresEventStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(Body((await LoadAsync(store, user, cancellationToken)).Limits));

    private static async Task<Ok<LimitsBody>> SetLimitsAsync(LimitsBody body, ClaimsPrincipal user, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var limits = new ContactLimits(
            body.PerCalleeMax,
            body.PerCalleePeriodHours is { } calleeHours ? TimeSpan.FromHours(calleeHours) : null,
            body.PerPairMax,
            body.PerPairPeriodHours is { } pairHours ? TimeSpan.FromHours(pairHours) : null);
        var result = await CommandRunner.RunAsync(store, Deciders.DialLists, user.Tenant(), Deciders.DialLists.StreamId(user.TenantId()),
            new DialListCommand.SetLimits(user.Tenant(), limits, clock.GetUtcNow()), metadata: new EventMetadata(User: user.EmployeeKey()), cancellationToken: cancellationToken);
        return TypedResults.Ok(Body(result.State.Limits));
    }

    private static LimitsBody Body(ContactLimits limits) =>
        new(limits.PerCalleeMax, limits.CalleePeriod.TotalHours, limits.PerPairMax, limits.PairPeriod.TotalHours);

    private static async Task<Ok<List<RefusalRow>>> RefusalsAsync(Guid taskId, int? limit, ClaimsPrincipal user, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var (task, _) = await CommandRunner.LoadAsync(store, Deciders.Task, user.Tenant(), Deciders.Task.StreamId(taskId), cancellationToken);
        if (task is Domain.Tasks.CallTask.None)
        {
            throw new DomainException("task.not_found", "The task does not exist.");
        }

        var refusals = await new TaskAttempts(store).RefusalsAsync(user.TenantId(), taskId, Math.Clamp(limit ?? 200, 1, 1000), cancellationToken);
        return TypedResults.Ok(refusals.Select(r => new RefusalRow(r.CustomerId, r.Callee, r.Attempt, r.Reason.ToString(), r.Detail, r.RetryAfter, r.RefusedAt)).ToList());
    }

    private static async Task<Ok<List<FailureRow>>> FailuresAsync(Guid? lineId, double? hours, ClaimsPrincipal user, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select d.data->>'lineId', h.data->>'reason', c.data->>'called'
            from es_events h
            join es_events d on d.tenant_id = h.tenant_id and d.stream_id = h.stream_id and d.version = 2 and d.type = 'call.dialing_started.v1'
            join es_events c on c.tenant_id = h.tenant_id and c.stream_id = h.stream_id and c.version = 1
            where h.tenant_id = $1 and h.type = 'call.hung_up.v1' and h.timestamp > $2
              and h.data->>'outcome' in ('Failed', 'NoAnswer', 'Busy')
              and ($3::text is null or d.data->>'lineId' = $3)
            """);
        command.Parameters.AddWithValue(user.Tenant());
        command.Parameters.AddWithValue(clock.GetUtcNow() - TimeSpan.FromHours(Math.Clamp(hours ?? 24, 0.1, 24 * 30)));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)lineId?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var feedback = FailureFeedback.Empty;
        var numbers = new Dictionary<(string, string), SortedSet<string>>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var (line, reason, called) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                feedback = feedback.Record(line, reason);
                if (!numbers.TryGetValue((line, reason), out var set))
                {
                    numbers[(line, reason)] = set = new SortedSet<string>(StringComparer.Ordinal);
                }

                if (set.Count < 20)
                {
                    set.Add(called);
                }
            }
        }

        return TypedResults.Ok(feedback.Worst(int.MaxValue)
            .Select(w => new FailureRow(Guid.Parse(w.Line), w.Reason, w.Count, [.. numbers[(w.Line, w.Reason)]]))
            .ToList());
    }
}
