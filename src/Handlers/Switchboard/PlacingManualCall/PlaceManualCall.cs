using System.Collections.Immutable;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.Compliance;
using Aicc.Domain.Dialing.Contacts;
using Aicc.Domain.Lines;
using Aicc.Domain.Numbers;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Dialing;
using Aicc.Handlers.Http;
using Aicc.Handlers.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicc.Handlers.Switchboard.PlacingManualCall;

/// <summary>
/// The agent dials a number from the console (issue 7, ADR 0017). The number is normalised,
/// the dialer's compliance gate judges it (a refusal is a <c>dialing_contact.dial_refused</c>
/// event and a problem answer; nothing is dialed), a caller number is chosen from the task's pool
/// by the dialer's nearest-city rule and leased to the agent, and the call is recorded (created,
/// offered to the agent) together with the lease, its scheduled expiry and the distributor's
/// claim row, in one transaction. Only then does the distributor ring the agent's phone and, once
/// the console picked up, dial the customer through the task's line. The page renews the lease
/// while the call is up; a lease nobody renews ends at its time-to-live, and so does the call.
/// </summary>
public static class PlaceManualCall
{
    /// <summary>The lease's time-to-live; the page renews it every <see cref="RenewEvery"/>.</summary>
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);

    /// <summary>The number to dial and, optionally, the task it is for (default: the newest running task of the agent's skill groups).</summary>
    public sealed record Request(string? Number, Guid? TaskId);

    /// <summary>The placed call: its id, the caller number leased for it and how to keep the lease.</summary>
    public sealed record Placed(Guid CallId, Guid AgentId, string Called, string CallerId, Guid TaskId, Guid PoolId, Guid LeaseId, DateTimeOffset LeaseExpiresAt, int RenewEverySeconds);

    /// <summary>Optional renewal body: the pool the lease is in (default: the call's task's pool).</summary>
    public sealed record RenewRequest(Guid? PoolId);

    /// <summary>The lease after a renewal.</summary>
    public sealed record LeaseView(Guid CallId, Guid LeaseId, string Number, DateTimeOffset ExpiresAt);

    public static IEndpointRouteBuilder MapPlaceManualCall(this IEndpointRouteBuilder app, string policy)
    {
        app.MapPost("/api/v1/agents/me/calls", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Agent calls")
            .WithName("PlaceManualCall")
            .WithSummary("Dial a number from the console: compliance gate, a leased caller number, the agent's phone first and then the customer. Send Idempotency-Key to make retries safe.");
        app.MapPost("/api/v1/agents/me/calls/{callId:guid}/lease", RenewAsync)
            .RequireAuthorization(policy)
            .WithTags("Agent calls")
            .WithName("RenewManualCallLease")
            .WithSummary("The console's heartbeat during a manual call: its caller-number lease lives 30 s more. 409 once the call or the lease has ended.");
        return app;
    }

    public static async Task<Results<Accepted<Placed>, Ok<Placed>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!PhoneNumber.TryParse(request.Number, out var callee, out var failure))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["number"] = [PhoneNumber.Describe(failure)] });
        }

        var queue = http.RequestServices.GetService<AgentQueue>();
        if (queue is null)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "No telephony", "This host carries no calls.", "manual_call.no_telephony");
        }

        var tenant = user.Tenant();
        var tenantId = user.TenantId();
        var agentId = await SeatOfAsync(store.DataSource, tenant, user.EmployeeId(), cancellationToken);
        if (agentId is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Not Found", "You have no agent seat.", "agent.not_found");
        }

        var (agentState, _) = await CommandRunner.LoadAsync(store, Deciders.Agent, tenant, Deciders.Agent.StreamId(agentId.Value), cancellationToken);
        if (agentState is not Agent.Active { Profile: var profile })
        {
            return Problem(StatusCodes.Status404NotFound, "Not Found", "You have no agent seat.", "agent.not_found");
        }

        var callId = IdempotencyKeys.DeriveId(tenant, "manual-call", http.IdempotencyKey());
        var leaseId = DerivedIds.From("aicc.manual-call-lease", callId, profile.AgentId, 0);
        var (existing, _) = await CommandRunner.LoadAsync(store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), cancellationToken);
        if (existing is Call.Existing placed)
        {
            // A retry of a call that was placed: the same call, never a second one.
            return placed.Info.Called == callee.E164
                ? TypedResults.Ok(await PlacedAsync(store, tenant, placed, profile.AgentId, leaseId, cancellationToken))
                : Problem(StatusCodes.Status409Conflict, "Not possible now", "This Idempotency-Key placed a call to another number.", "call.already_exists");
        }

        var now = clock.GetUtcNow();
        // Refused up front (offline, on a call, in wrap-up) before anything is judged or leased.
        Deciders.Agent.Decide(new AgentCommand.PlaceCall(profile.AgentId, callId, now), agentState);
        if (profile.Sip is not { } sip)
        {
            return Problem(StatusCodes.Status409Conflict, "No phone", "Your seat has no phone yet: open the console so it registers.", "agent.no_phone");
        }

        var taskId = request.TaskId ?? await AgentTaskAsync(store, tenant, profile, cancellationToken);
        if (taskId is null)
        {
            return Problem(StatusCodes.Status409Conflict, "No task", "No task of your skill groups to call for; name one with taskId.", "manual_call.no_task");
        }

        var (settings, unusable) = await TaskDialerSettings.LoadAsync(store, tenantId, taskId.Value, null, cancellationToken);
        if (settings is null)
        {
            return unusable == "the task does not exist"
                ? Problems.NotFound("task", taskId.Value)
                : Problem(StatusCodes.Status409Conflict, "Cannot dial", $"The task cannot dial: {unusable}.", "manual_call.no_line");
        }

        if (settings.NumberPoolId is not { } poolId)
        {
            return Problem(StatusCodes.Status409Conflict, "No caller-number pool",
                "Manual calls lease a caller number from the task's pool, and the task's line presents none.", "manual_call.no_number_pool");
        }

        // The caller number first (the per-pair limit counts it), by the dialer's rule.
        var (poolState, _) = await CommandRunner.LoadAsync(store, Deciders.NumberPool, tenant, Deciders.NumberPool.StreamId(poolId), cancellationToken);
        var pool = (poolState as NumberPoolState.Active)?.Pool ?? new NumberPool(poolId.ToString(), tenant, string.Empty, []);
        var (book, _) = await CommandRunner.LoadAsync(store, Deciders.NumberLeases, tenant, Deciders.NumberLeases.StreamId(poolId), cancellationToken);
        var attempts = new TaskAttempts(store);
        var usage = await attempts.UsageAsync(tenantId, [.. pool.Numbers.Select(n => n.Number)], now, cancellationToken);
        // The agent's own earlier lease is replaced by this one, so its number is not "taken".
        var held = book.ByNumber.Values.Where(l => l.ExpiresAt > now && l.AgentId != profile.AgentId.ToString()).Select(l => l.Number).ToImmutableHashSet();
        PhoneNumber callerId;
        switch (CallerNumberChooser.Choose(pool, callee.E164, settings.Cities, usage, held, now))
        {
            case NumberChoice.Chosen chosen:
                callerId = PhoneNumber.Parse(chosen.Number.Number);
                break;
            case NumberChoice.NoneAvailable none:
                return await RefuseAsync(store, tenant, taskId.Value, callee, RefusalReason.NoCallerNumber, none.Reason, null, profile.AgentId, now, cancellationToken);
            default:
                throw new InvalidOperationException("unknown number choice");
        }

        var (lists, _) = await CommandRunner.LoadAsync(store, Deciders.DialLists, tenant, Deciders.DialLists.StreamId(tenantId), cancellationToken);
        // The tenant's contact limits and the task's calling windows apply; the task's rate is the dialer's pacing, not a person's.
        var limits = lists.Limits with { PerTaskPerMinute = null };
        var lookBack = TimeSpan.FromTicks(Math.Max(limits.CalleePeriod.Ticks, limits.PairPeriod.Ticks));
        var history = await attempts.CalleeHistoryAsync(tenantId, callee.E164, now - lookBack, cancellationToken);
        var zone = settings.Cities.Locate(callee.E164) is { } city && TimeZoneInfo.TryFindSystemTimeZoneById(city.TimeZoneId, out var found) ? found : settings.DefaultZone;
        var check = new CheckDial(tenant, taskId.Value.ToString(), callee.E164, callerId.E164, limits, settings.Windows, zone, now);
        if (DialGate.Decide(check, new DialGateState(lists, history)).Single() is DialCheckEvent.DialRefused refused)
        {
            return await RefuseAsync(store, tenant, taskId.Value, callee, refused.Reason, refused.Detail, refused.RetryAfter, profile.AgentId, now, cancellationToken);
        }

        var secrets = http.RequestServices.GetService<LineSecrets>();
        var credentials = secrets is null ? null : await secrets.LoadAsync(tenantId, settings.LineId, cancellationToken);
        var seat = new AgentSeat(tenantId, profile.AgentId, profile.DisplayName, sip.Username);
        var manual = new ManualCall(tenantId, callId, taskId.Value, seat, callee, callerId, settings.LineId, settings.Trunk, settings.UseTcp, settings.DialPrefix,
            credentials is null ? null : new Telephony.CallControl.TrunkCredentials(credentials.Username, credentials.Password), poolId, leaseId);
        var metadata = new EventMetadata(CorrelationId: callId.ToString(), User: user.EmployeeKey());
        DateTimeOffset expiresAt;
        await using (var connection = await store.DataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var session = store.OpenSession(connection, transaction);
            var leased = await CommandRunner.RunAsync(session, store, Deciders.NumberLeases, tenant, Deciders.NumberLeases.StreamId(poolId),
                new NumberLeaseCommand.AcquireLease(poolId.ToString(), leaseId, callerId.E164, profile.AgentId.ToString(), LeaseTtl, now), metadata, cancellationToken);
            expiresAt = leased.State.Find(leaseId)!.ExpiresAt;
            await LeaseExpiryMessage.ScheduleAsync(connection, transaction, tenantId, poolId, leaseId, expiresAt, cancellationToken);
            await CommandRunner.RunAsync(session, store, Deciders.Agent, tenant, Deciders.Agent.StreamId(profile.AgentId),
                new AgentCommand.PlaceCall(profile.AgentId, callId, now), metadata, cancellationToken);
            var stream = Deciders.Call.StreamId(callId);
            await CommandRunner.RunAsync(session, store, Deciders.Call, tenant, stream,
                new CallCommand.CreateOutbound(callId, tenantId, taskId, null, callee, ValueMap.Empty, now), metadata, cancellationToken);
            await CommandRunner.RunAsync(session, store, Deciders.Call, tenant, stream, new CallCommand.OfferToAgent(callId, profile.AgentId, now), metadata, cancellationToken);
            // The line's channel is taken with the rest (ADR 0019): a full or down line refuses the
            // dial with 409 line.at_capacity / line.down and the transaction records nothing.
            await CommandRunner.RunFromAsync(session, store, Deciders.Line, tenant, Deciders.Line.StreamId(settings.LineId), Line.Initial, 0,
                new LineCommand.SeizeChannel(settings.LineId, callId, now), metadata, cancellationToken);
            await queue.ClaimManualCallAsync(connection, transaction, manual, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        queue.StartManualCall(manual);
        return TypedResults.Accepted($"/api/v1/calls/{callId}",
            new Placed(callId, profile.AgentId, callee.E164, callerId.E164, taskId.Value, poolId, leaseId, expiresAt, (int)RenewEvery.TotalSeconds));
    }

    public static async Task<Results<Ok<LeaseView>, ProblemHttpResult>> RenewAsync(
        Guid callId, RenewRequest? request, ClaimsPrincipal user, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var agentId = await SeatOfAsync(store.DataSource, tenant, user.EmployeeId(), cancellationToken);
        var (call, _) = await CommandRunner.LoadAsync(store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), cancellationToken);
        if (call is not Call.Existing existing || agentId is null)
        {
            return Problems.NotFound("call", callId);
        }

        // Ended first: a call that never reached the agent's phone no longer names the agent it was offered to.
        if (existing is Call.Ended)
        {
            return Problem(StatusCodes.Status409Conflict, "Not possible now", "The call has ended; its lease ended with it.", "call.ended");
        }

        if (!IsAgents(existing, agentId.Value))
        {
            return Problems.NotFound("call", callId);
        }

        var poolId = request?.PoolId ?? await PoolOfTaskAsync(store, tenant, existing.Info.TaskId, cancellationToken);
        if (poolId is null)
        {
            return Problems.NotFound("lease of call", callId);
        }

        var leaseId = DerivedIds.From("aicc.manual-call-lease", callId, agentId.Value, 0);
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Refused (409 lease.expired / lease.not_active) once the lease ended: the call is being ended by the platform.
        var result = await CommandRunner.RunAsync(store.OpenSession(connection, transaction), store, Deciders.NumberLeases, tenant, Deciders.NumberLeases.StreamId(poolId.Value),
            new NumberLeaseCommand.RenewLease(poolId.Value.ToString(), leaseId, LeaseTtl, clock.GetUtcNow()),
            new EventMetadata(CorrelationId: callId.ToString(), User: user.EmployeeKey()), cancellationToken);
        var lease = result.State.Find(leaseId)!;
        await LeaseExpiryMessage.ScheduleAsync(connection, transaction, user.TenantId(), poolId.Value, leaseId, lease.ExpiresAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new LeaseView(callId, leaseId, lease.Number, lease.ExpiresAt));
    }

    private static bool IsAgents(Call.Existing call, Guid agentId) =>
        call.Info.AgentId == agentId || (call is Call.Offered offered && offered.AgentId == agentId);

    /// <summary>
    /// Records the gate's refusal the way the dialer does, on a contact stream of the task: one per
    /// dialed number (derived from it), never a real customer's, whose redial plan it must not move.
    /// </summary>
    private static async Task<ProblemHttpResult> RefuseAsync(
        PostgresEventStore store, string tenant, Guid taskId, PhoneNumber callee, RefusalReason reason, string detail, DateTimeOffset? retryAfter, Guid agentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var calleeId = CalleeId(taskId, callee);
        await CommandRunner.RunAsync(store, Deciders.DialingContact, tenant, Deciders.DialingContact.StreamId(DialingContactDecider.ContactId(taskId, calleeId)),
            new DialingContactCommand.Refuse(taskId, calleeId, callee.E164, 1, reason, detail, retryAfter, now),
            metadata: new EventMetadata(User: agentId.ToString()), cancellationToken: cancellationToken);
        var problem = TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Call refused",
            detail: $"{callee.E164} may not be called now: {detail}",
            type: "dial_refused",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "manual_call.refused",
                ["reason"] = reason.ToString(),
                ["retryAfter"] = retryAfter,
            });
        return problem;
    }

    /// <summary>The id standing in for a manually dialed number on the task's contact streams.</summary>
    public static Guid CalleeId(Guid taskId, PhoneNumber callee)
    {
        var number = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(callee.E164)).AsSpan(0, 16));
        return DerivedIds.From("aicc.manual-callee", taskId, number, 0);
    }

    private static ProblemHttpResult Problem(int status, string title, string detail, string code) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });

    private static async Task<Placed> PlacedAsync(PostgresEventStore store, string tenant, Call.Existing call, Guid agentId, Guid leaseId, CancellationToken cancellationToken)
    {
        var poolId = await PoolOfTaskAsync(store, tenant, call.Info.TaskId, cancellationToken) ?? Guid.Empty;
        var (book, _) = await CommandRunner.LoadAsync(store, Deciders.NumberLeases, tenant, Deciders.NumberLeases.StreamId(poolId), cancellationToken);
        var lease = book.Find(leaseId);
        return new Placed(call.Info.CallId, agentId, call.Info.Called, call.Info.Caller ?? lease?.Number ?? string.Empty, call.Info.TaskId ?? Guid.Empty, poolId, leaseId,
            lease?.ExpiresAt ?? call.Info.Timeline.CreatedAt, (int)RenewEvery.TotalSeconds);
    }

    private static async Task<Guid?> PoolOfTaskAsync(PostgresEventStore store, string tenant, Guid? taskId, CancellationToken cancellationToken)
    {
        if (taskId is not { } id)
        {
            return null;
        }

        var (task, _) = await CommandRunner.LoadAsync(store, Deciders.Task, tenant, Deciders.Task.StreamId(id), cancellationToken);
        return (task as CallTask.Existing)?.Setup.NumberPoolId;
    }

    /// <summary>The newest task (running ones first) whose calls go to one of the agent's skill groups.</summary>
    private static async Task<Guid?> AgentTaskAsync(PostgresEventStore store, string tenant, AgentProfile agent, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        // The streams themselves, not the task list (an async projection): a task made a moment ago counts.
        await using (var command = store.DataSource.CreateCommand("select id from es_streams where tenant_id = $1 and type = $2 and not is_archived order by created desc limit 200"))
        {
            command.Parameters.AddWithValue(tenant);
            command.Parameters.AddWithValue(Deciders.Task.StreamType);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(Guid.Parse(reader.GetString(0)[(Deciders.Task.StreamType.Length + 1)..]));
            }
        }

        Guid? fallback = null;
        foreach (var id in ids)
        {
            var (task, _) = await CommandRunner.LoadAsync(store, Deciders.Task, tenant, Deciders.Task.StreamId(id), cancellationToken);
            var group = (task as CallTask.Existing)?.Setup.Handler switch
            {
                TaskHandler.AgentGroup g => g.SkillGroup,
                TaskHandler.RobotThenAgent r => r.SkillGroup,
                _ => null,
            };
            if (group is null || !agent.SkillGroups.Contains(group) || task is CallTask.Completed or CallTask.Cancelled)
            {
                continue;
            }

            if (task is CallTask.Running)
            {
                return id;
            }

            fallback ??= id;
        }

        return fallback;
    }

    private static async Task<Guid?> SeatOfAsync(NpgsqlDataSource dataSource, string tenant, Guid employeeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select agent_id from agent_board where tenant = $1 and employee_id = $2 and not removed order by since desc limit 1");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(employeeId);
        return await command.ExecuteScalarAsync(cancellationToken) is Guid id ? id : null;
    }
}
