using System.Security.Claims;
using Aicc.Domain;
using Aicc.Domain.Numbers;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Dialing;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Dialing;

/// <summary>
/// Caller-number pools and their numbers (seed 003's number resources), the task's pool, and
/// leases of pool numbers to agents for manual calling. A lease ends at its expiry by time alone:
/// every read and every acquisition judges it against the clock, and a scheduled message
/// records the expiry in the pool's history; a page that closes without a goodbye changes nothing.
/// </summary>
public static class NumberEndpoints
{
    /// <summary>A new pool: a name and the city that stands in for callees the prefix table does not place.</summary>
    public sealed record PoolRequest(string? Name, string? DefaultCity);

    /// <summary>A number's settings in a pool.</summary>
    public sealed record NumberRequest(string? Kind, string? City, int? DailyCap, int? HourlyCap, decimal? CostPerMinute, bool? Enabled);

    /// <summary>One number with its use in the last hour and day and who holds it now.</summary>
    public sealed record NumberRow(string Number, string Kind, string City, int DailyCap, int HourlyCap, decimal CostPerMinute, bool Enabled, int CallsLastHour, int CallsLastDay, string? LeasedTo, DateTimeOffset? LeaseExpiresAt);

    /// <summary>A pool and its numbers.</summary>
    public sealed record PoolRow(Guid Id, string Name, string DefaultCity, IReadOnlyList<NumberRow> Numbers);

    /// <summary>The pool a task dials from (null: the line's caller-ID rule).</summary>
    public sealed record TaskPoolRequest(Guid? PoolId);

    /// <summary>Lease a number (or any free one when null) to an agent for <paramref name="TtlSeconds"/>.</summary>
    public sealed record LeaseRequest(string? Number, Guid? AgentId, int? TtlSeconds);

    /// <summary>Extend a lease by <paramref name="TtlSeconds"/> from now (the page's heartbeat).</summary>
    public sealed record RenewRequest(int? TtlSeconds);

    /// <summary>A lease held now.</summary>
    public sealed record LeaseRow(Guid LeaseId, string Number, string AgentId, DateTimeOffset ExpiresAt);

    public static IEndpointRouteBuilder MapNumberEndpoints(this IEndpointRouteBuilder app, string write, string read, string lease)
    {
        var pools = app.MapGroup("/api/v1/number-pools").WithTags("Number pools");
        pools.MapPost("", CreatePoolAsync).RequireAuthorization(write).WithName("CreateNumberPool")
            .WithSummary("Create a caller-number pool (name, default city). Send Idempotency-Key to make retries safe.");
        pools.MapGet("", ListPoolsAsync).RequireAuthorization(read).WithName("ListNumberPools")
            .WithSummary("The tenant's pools with each number's use in the last hour and day and its lease.");
        pools.MapGet("/{poolId:guid}", GetPoolAsync).RequireAuthorization(read).WithName("GetNumberPool")
            .WithSummary("One pool with its numbers, their use and leases.");
        pools.MapPut("/{poolId:guid}/numbers/{number}", SetNumberAsync).RequireAuthorization(write).WithName("SetPoolNumber")
            .WithSummary("Add a number to the pool or change it (kind fixed_line|certified|mobile, city, daily and hourly caps, cost, enabled).");
        pools.MapDelete("/{poolId:guid}/numbers/{number}", RemoveNumberAsync).RequireAuthorization(write).WithName("RemovePoolNumber")
            .WithSummary("Take a number out of the pool.");
        pools.MapGet("/{poolId:guid}/leases", ListLeasesAsync).RequireAuthorization(read).WithName("ListNumberLeases")
            .WithSummary("Leases held now (an expired lease is not listed even before its expiry is recorded).");
        pools.MapPost("/{poolId:guid}/leases", AcquireLeaseAsync).RequireAuthorization(lease).WithName("AcquireNumberLease")
            .WithSummary("Lease a number (or any free one) to an agent for manual calling; it ends by itself after ttlSeconds unless renewed.");
        pools.MapPost("/{poolId:guid}/leases/{leaseId:guid}/renew", RenewLeaseAsync).RequireAuthorization(lease).WithName("RenewNumberLease")
            .WithSummary("The page's heartbeat: the lease lives ttlSeconds from now. An expired lease cannot be renewed (409).");
        pools.MapDelete("/{poolId:guid}/leases/{leaseId:guid}", ReleaseLeaseAsync).RequireAuthorization(lease).WithName("ReleaseNumberLease")
            .WithSummary("Give the number back (the call ended or was not made).");
        app.MapPut("/api/v1/tasks/{taskId:guid}/number-pool", SetTaskPoolAsync).RequireAuthorization(write).WithTags("Tasks").WithName("SetTaskNumberPool")
            .WithSummary("The pool the task's dialer picks caller IDs from (nearest city, caps, even spread); null: the line's rule.");
        return app;
    }

    private static async Task<Created<PoolRow>> CreatePoolAsync(PoolRequest request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var poolId = IdempotencyKeys.DeriveId(tenant, "number-pool", http.IdempotencyKey());
        await CommandRunner.RunAsync(store, Deciders.NumberPool, tenant, Deciders.NumberPool.StreamId(poolId),
            new NumberPoolCommand.Create(poolId, user.TenantId(), request.Name ?? string.Empty, request.DefaultCity ?? string.Empty, clock.GetUtcNow()),
            metadata: new EventMetadata(User: user.EmployeeKey()), cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/v1/number-pools/{poolId}", await LoadPoolAsync(store, user, poolId, clock.GetUtcNow(), cancellationToken));
    }

    private static async Task<Ok<List<PoolRow>>> ListPoolsAsync(ClaimsPrincipal user, PostgresEventStore store, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select id from es_streams where tenant_id = $1 and type = $2 and not is_archived order by created, id limit 1000");
        command.Parameters.AddWithValue(user.Tenant());
        command.Parameters.AddWithValue(Deciders.NumberPool.StreamType);
        var ids = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(Guid.Parse(reader.GetString(0)[(Deciders.NumberPool.StreamType.Length + 1)..]));
            }
        }

        var rows = new List<PoolRow>();
        foreach (var id in ids)
        {
            rows.Add(await LoadPoolAsync(store, user, id, clock.GetUtcNow(), cancellationToken));
        }

        return TypedResults.Ok(rows);
    }

    private static async Task<Ok<PoolRow>> GetPoolAsync(Guid poolId, ClaimsPrincipal user, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LoadPoolAsync(store, user, poolId, clock.GetUtcNow(), cancellationToken));

    private static async Task<Results<Ok<PoolRow>, ValidationProblem>> SetNumberAsync(
        Guid poolId, string number, NumberRequest request, ClaimsPrincipal user, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var kind = request.Kind?.Replace("_", string.Empty, StringComparison.Ordinal);
        if (kind is null || !Enum.TryParse<NumberKind>(kind, ignoreCase: true, out var parsedKind) || int.TryParse(kind, out _))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = ["One of fixed_line, certified, mobile."] });
        }

        var caller = new CallerNumber(number.Trim(), parsedKind, request.City ?? string.Empty, request.DailyCap ?? 0, request.HourlyCap ?? 0, request.CostPerMinute ?? 0, request.Enabled ?? true);
        await CommandRunner.RunAsync(store, Deciders.NumberPool, user.Tenant(), Deciders.NumberPool.StreamId(poolId),
            new NumberPoolCommand.SetNumber(poolId, caller, clock.GetUtcNow()), metadata: new EventMetadata(User: user.EmployeeKey()), cancellationToken: cancellationToken);
        return TypedResults.Ok(await LoadPoolAsync(store, user, poolId, clock.GetUtcNow(), cancellationToken));
    }

    private static async Task<Ok<PoolRow>> RemoveNumberAsync(Guid poolId, string number, ClaimsPrincipal user, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        await CommandRunner.RunAsync(store, Deciders.NumberPool, user.Tenant(), Deciders.NumberPool.StreamId(poolId),
            new NumberPoolCommand.RemoveNumber(poolId, number.Trim(), clock.GetUtcNow()), metadata: new EventMetadata(User: user.EmployeeKey()), cancellationToken: cancellationToken);
        return TypedResults.Ok(await LoadPoolAsync(store, user, poolId, clock.GetUtcNow(), cancellationToken));
    }

    private static async Task<NoContent> SetTaskPoolAsync(Guid taskId, TaskPoolRequest request, ClaimsPrincipal user, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.PoolId is { } poolId)
        {
            await RequirePoolAsync(store, user.Tenant(), poolId, cancellationToken);
        }

        await CommandRunner.RunAsync(store, Deciders.Task, user.Tenant(), Deciders.Task.StreamId(taskId),
            new CallTaskCommand.SetNumberPool(taskId, request.PoolId, clock.GetUtcNow()), metadata: new EventMetadata(User: user.EmployeeKey()), cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<LeaseRow>>> ListLeasesAsync(Guid poolId, ClaimsPrincipal user, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        await RequirePoolAsync(store, user.Tenant(), poolId, cancellationToken);
        var (book, _) = await CommandRunner.LoadAsync(store, Deciders.NumberLeases, user.Tenant(), Deciders.NumberLeases.StreamId(poolId), cancellationToken);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(book.ByNumber.Values.Where(l => l.ExpiresAt > now).OrderBy(l => l.Number, StringComparer.Ordinal)
            .Select(l => new LeaseRow(l.LeaseId, l.Number, l.AgentId, l.ExpiresAt)).ToList());
    }

    private static async Task<Results<Created<LeaseRow>, ValidationProblem>> AcquireLeaseAsync(
        Guid poolId, LeaseRequest request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.AgentId is not { } agentId || agentId == Guid.Empty || request.TtlSeconds is not (>= 5 and <= 86400))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agentId,ttlSeconds"] = ["An agent id and a ttl of 5 to 86400 seconds are required."] });
        }

        var tenant = user.Tenant();
        var pool = await RequirePoolAsync(store, tenant, poolId, cancellationToken);
        var now = clock.GetUtcNow();
        var (book, _) = await CommandRunner.LoadAsync(store, Deciders.NumberLeases, tenant, Deciders.NumberLeases.StreamId(poolId), cancellationToken);
        var held = book.HeldAt(now);
        var number = request.Number?.Trim()
            ?? pool.Numbers.Where(n => n.Enabled && !held.Contains(n.Number)).Select(n => n.Number).Order(StringComparer.Ordinal).FirstOrDefault()
            ?? throw new DomainException("number.none_free", "Every enabled number of the pool is leased.");
        if (!pool.Numbers.Any(n => n.Number == number && n.Enabled))
        {
            throw new DomainException("number.not_found", $"{number} is not an enabled number of the pool.");
        }

        var leaseId = IdempotencyKeys.DeriveId(tenant, "number-lease", http.IdempotencyKey());
        var expires = now + TimeSpan.FromSeconds(request.TtlSeconds.Value);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await CommandRunner.RunAsync(store.OpenSession(connection, transaction), store, Deciders.NumberLeases, tenant, Deciders.NumberLeases.StreamId(poolId),
            new NumberLeaseCommand.AcquireLease(poolId.ToString(), leaseId, number, agentId.ToString(), TimeSpan.FromSeconds(request.TtlSeconds.Value), now),
            metadata: new EventMetadata(User: user.EmployeeKey()), cancellationToken: cancellationToken);
        var granted = result.State.Find(leaseId)!;
        await LeaseExpiryMessage.ScheduleAsync(connection, transaction, user.TenantId(), poolId, leaseId, granted.ExpiresAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/number-pools/{poolId}/leases/{leaseId}", new LeaseRow(leaseId, granted.Number, granted.AgentId, granted.ExpiresAt));
    }

    private static async Task<Results<Ok<LeaseRow>, ValidationProblem>> RenewLeaseAsync(
        Guid poolId, Guid leaseId, RenewRequest request, ClaimsPrincipal user, PostgresEventStore store, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.TtlSeconds is not (>= 5 and <= 86400))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ttlSeconds"] = ["From 5 to 86400 seconds."] });
        }

        var tenant = user.Tenant();
        await RequirePoolAsync(store, tenant, poolId, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await CommandRunner.RunAsync(store.OpenSession(connection, transaction), store, Deciders.NumberLeases, tenant, Deciders.NumberLeases.StreamId(poolId),
            new NumberLeaseCommand.RenewLease(poolId.ToString(), leaseId, TimeSpan.FromSeconds(request.TtlSeconds.Value), clock.GetUtcNow()),
            metadata: new EventMetadata(User: user.EmployeeKey()), cancellationToken: cancellationToken);
        var lease = result.State.Find(leaseId)!;
        await LeaseExpiryMessage.ScheduleAsync(connection, transaction, user.TenantId(), poolId, leaseId, lease.ExpiresAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new LeaseRow(lease.LeaseId, lease.Number, lease.AgentId, lease.ExpiresAt));
    }

    private static async Task<NoContent> ReleaseLeaseAsync(Guid poolId, Guid leaseId, ClaimsPrincipal user, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        await RequirePoolAsync(store, user.Tenant(), poolId, cancellationToken);
        await CommandRunner.RunAsync(store, Deciders.NumberLeases, user.Tenant(), Deciders.NumberLeases.StreamId(poolId),
            new NumberLeaseCommand.ReleaseLease(poolId.ToString(), leaseId, LeaseEndReason.Returned, clock.GetUtcNow()),
            metadata: new EventMetadata(User: user.EmployeeKey()), cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NumberPool> RequirePoolAsync(PostgresEventStore store, string tenant, Guid poolId, CancellationToken cancellationToken)
    {
        var (state, _) = await CommandRunner.LoadAsync(store, Deciders.NumberPool, tenant, Deciders.NumberPool.StreamId(poolId), cancellationToken);
        return state is NumberPoolState.Active active
            ? active.Pool
            : throw new DomainException("number_pool.not_found", "The number pool does not exist.");
    }

    private static async Task<PoolRow> LoadPoolAsync(PostgresEventStore store, ClaimsPrincipal user, Guid poolId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var (state, _) = await CommandRunner.LoadAsync(store, Deciders.NumberPool, tenant, Deciders.NumberPool.StreamId(poolId), cancellationToken);
        if (state is not NumberPoolState.Active active)
        {
            throw new DomainException("number_pool.not_found", "The number pool does not exist.");
        }

        var (book, _) = await CommandRunner.LoadAsync(store, Deciders.NumberLeases, tenant, Deciders.NumberLeases.StreamId(poolId), cancellationToken);
        var usage = await new TaskAttempts(store).UsageAsync(user.TenantId(), [.. active.Pool.Numbers.Select(n => n.Number)], now, cancellationToken);
        var numbers = active.Pool.Numbers.OrderBy(n => n.Number, StringComparer.Ordinal).Select(n =>
        {
            var lease = book.ByNumber.GetValueOrDefault(n.Number) is { } l && l.ExpiresAt > now ? l : null;
            return new NumberRow(n.Number, Snake(n.Kind), n.City, n.DailyCap, n.HourlyCap, n.CostPerMinute, n.Enabled,
                usage.CallsWithin(n.Number, now, TimeSpan.FromHours(1)), usage.CallsWithin(n.Number, now, TimeSpan.FromHours(24)), lease?.AgentId, lease?.ExpiresAt);
        }).ToList();
        return new PoolRow(poolId, active.Name, active.Pool.DefaultCity, numbers);
    }

    private static string Snake(NumberKind kind) => kind switch
    {
        NumberKind.FixedLine => "fixed_line",
        NumberKind.Certified => "certified",
        _ => "mobile",
    };
}
