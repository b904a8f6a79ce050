using System.Security.Claims;
using System.Text.Json;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicc.Handlers.Switchboard.HandlingAgentCalls;

/// <summary>
/// The agent console's call endpoints: what the pop-up shows (GET /api/v1/agents/me/call) and
/// what the agent does with their call (hold, resume, hang up, transfer, disposition). Only the
/// agent the call is connected to may act on it; another tenant's call is simply not found.
/// Hold, resume, hang-up and transfer act on media, so they go to the distributor carrying the
/// call (<see cref="IAgentCallDesk"/>); a node that does not carry it answers 409 naming the
/// node that does. The disposition is a pure event-store command and works anywhere, also
/// during and after wrap-up.
/// </summary>
public static class AgentCallEndpoints
{
    /// <summary>The agent's current call as the console's pop-up shows it.</summary>
    /// <param name="AgentState">The seat's presence: ringing, on_call or after_call_work.</param>
    /// <param name="CallState">Where the call is: offered, with_agent, queued (being transferred), ended.</param>
    /// <param name="Variables">The customer's row (task variables) and what the robot collected.</param>
    /// <param name="Context">Why the call came to a human (e.g. the robot's transfer reason).</param>
    /// <param name="Dispositions">The task's disposition list (empty: free text).</param>
    public sealed record AgentCallView(
        Guid CallId,
        Guid AgentId,
        string AgentState,
        string CallState,
        bool OnHold,
        string Direction,
        string? Caller,
        string Called,
        Guid? TaskId,
        string? SkillGroup,
        IReadOnlyDictionary<string, string> Variables,
        string? Context,
        DateTimeOffset Since,
        string? Disposition,
        string? DispositionNote,
        IReadOnlyList<string> Dispositions,
        long Version);

    /// <summary>Transfer body: exactly one of a skill group or a colleague's agent id.</summary>
    public sealed record TransferRequest(string? SkillGroup, Guid? AgentId, string? Reason);

    /// <summary>Disposition body: one of the task's dispositions, and an optional note.</summary>
    public sealed record DispositionRequest(string? Disposition, string? Note);

    /// <summary>A call after an agent's command.</summary>
    public sealed record CallCommandResponse(Guid CallId, string CallState, bool OnHold, string? Disposition, long Version);

    public static IEndpointRouteBuilder MapAgentCallEndpoints(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/agents/me/call", GetMyCallAsync)
            .RequireAuthorization(policy)
            .WithTags("Agent calls")
            .WithName("GetMyCall")
            .WithSummary("The signed-in agent's offered, active or wrapping-up call with the customer's variables and context (204 when none).");
        Command(app, policy, "hold", "HoldCall", "Put the customer on hold (they hear hold music).", _ => new AgentCallRequest.Hold());
        Command(app, policy, "resume", "ResumeCall", "Take the customer off hold.", _ => new AgentCallRequest.Resume());
        Command(app, policy, "hangup", "HangUpCall", "End the call from the console; the agent goes to wrap-up.", _ => new AgentCallRequest.HangUp());
        app.MapPost("/api/v1/calls/{callId:guid}/transfer", TransferAsync)
            .RequireAuthorization(policy)
            .WithTags("Agent calls")
            .WithName("TransferCall")
            .WithSummary("Send the call back through the queue to a skill group or a colleague; the agent's leg ends.");
        app.MapPost("/api/v1/calls/{callId:guid}/disposition", SetDispositionAsync)
            .RequireAuthorization(policy)
            .WithTags("Agent calls")
            .WithName("SetCallDisposition")
            .WithSummary("Record the call's result: one of the task's dispositions (any text when the task has none), with a note.");
        return app;
    }

    private static void Command(IEndpointRouteBuilder app, string policy, string verb, string name, string summary, Func<HttpContext, AgentCallRequest> request) =>
        app.MapPost($"/api/v1/calls/{{callId:guid}}/{verb}", (Guid callId, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, CancellationToken ct) =>
                ActAsync(callId, request(http), user, http, store, ct))
            .RequireAuthorization(policy)
            .WithTags("Agent calls")
            .WithName(name)
            .WithSummary(summary);

    public static async Task<Results<Ok<AgentCallView>, NoContent, ProblemHttpResult>> GetMyCallAsync(
        ClaimsPrincipal user, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var seat = await SeatOfAsync(store.DataSource, tenant, user.EmployeeId(), cancellationToken);
        if (seat is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "You have no agent seat.");
        }

        if (seat.CallId is not { } callId || seat.State is not ("ringing" or "on_call" or "after_call_work"))
        {
            return TypedResults.NoContent();
        }

        var (call, version) = await CommandRunner.LoadAsync(store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), cancellationToken);
        if (call is not Call.Existing existing)
        {
            return TypedResults.NoContent();
        }

        var claim = await ClaimOfAsync(store.DataSource, tenant, callId, cancellationToken);
        var variables = new Dictionary<string, string>(existing.Info.BusinessData, StringComparer.Ordinal);
        foreach (var (key, value) in claim?.Variables ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        var dispositions = existing.Info.TaskId is { } taskId ? await DispositionsOfAsync(store, tenant, taskId, cancellationToken) : ValueList<string>.Empty;
        return TypedResults.Ok(new AgentCallView(
            callId,
            seat.AgentId,
            seat.State,
            StateName(call),
            call is Call.WithAgent { OnHold: true },
            existing.Info.Direction.ToString().ToLowerInvariant(),
            existing.Info.Caller,
            existing.Info.Called,
            existing.Info.TaskId,
            claim?.SkillGroup ?? (call as Call.Queued)?.SkillGroup,
            variables,
            claim?.Context,
            seat.Since,
            existing.Info.Disposition?.Disposition,
            existing.Info.Disposition?.Note,
            dispositions,
            version));
    }

    public static Task<Results<Ok<CallCommandResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> TransferAsync(
        Guid callId, TransferRequest request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var group = string.IsNullOrWhiteSpace(request.SkillGroup) ? null : request.SkillGroup.Trim();
        var colleague = request.AgentId is { } id && id != Guid.Empty ? id : (Guid?)null;
        if ((group is null) == (colleague is null))
        {
            return Task.FromResult<Results<Ok<CallCommandResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>>(
                TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["skillGroup"] = ["Name exactly one of skillGroup or agentId."] }));
        }

        TransferTarget target = group is not null ? new TransferTarget.ToSkillGroup(group) : new TransferTarget.ToAgent(colleague!.Value);
        return ActAsync(callId, new AgentCallRequest.Transfer(target, string.IsNullOrWhiteSpace(request.Reason) ? "agent transfer" : request.Reason.Trim()), user, http, store, cancellationToken);
    }

    public static async Task<Results<Ok<CallCommandResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> SetDispositionAsync(
        Guid callId, DispositionRequest request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Disposition))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["disposition"] = ["Required."] });
        }

        var tenant = user.Tenant();
        var (call, agentId, problem) = await OwnCallAsync(callId, user, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var allowed = call!.Info.TaskId is { } taskId ? await DispositionsOfAsync(store, tenant, taskId, cancellationToken) : ValueList<string>.Empty;
        var result = await CommandRunner.RunAsync(
            store, Deciders.Call, tenant, Deciders.Call.StreamId(callId),
            new CallCommand.SetDisposition(callId, agentId, request.Disposition, request.Note, allowed, clock.GetUtcNow()),
            expectedVersion: Versions.IfMatch(http.Request),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Ok(Response(callId, result.State, result.Version));
    }

    private static async Task<Results<Ok<CallCommandResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> ActAsync(
        Guid callId, AgentCallRequest request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var (call, agentId, problem) = await OwnCallAsync(callId, user, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (call is not Call.WithAgent)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible now", detail: "The call is not connected to you.", type: "call.not_with_agent");
        }

        var desk = http.RequestServices.GetService<IAgentCallDesk>();
        if (desk is null || !await desk.HandleAsync(user.TenantId(), callId, agentId, request, cancellationToken))
        {
            var claim = await ClaimOfAsync(store.DataSource, tenant, callId, cancellationToken);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Call carried elsewhere",
                detail: claim is null ? "No node carries this call now." : $"The call is carried by node {claim.Node}; send the command there.",
                type: "call.not_carried_here");
        }

        var (after, version) = await CommandRunner.LoadAsync(store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), cancellationToken);
        Versions.SetETag(http.Response, version);
        return TypedResults.Ok(Response(callId, after, version));
    }

    /// <summary>The call if the signed-in agent is (or last was) the agent on it; otherwise the problem to answer.</summary>
    private static async Task<(Call.Existing? Call, Guid AgentId, ProblemHttpResult? Problem)> OwnCallAsync(
        Guid callId, ClaimsPrincipal user, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var (call, _) = await CommandRunner.LoadAsync(store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), cancellationToken);
        if (call is not Call.Existing existing)
        {
            return (null, Guid.Empty, Problems.NotFound("call", callId));
        }

        var seat = await SeatOfAsync(store.DataSource, tenant, user.EmployeeId(), cancellationToken);
        if (seat is null || existing.Info.AgentId != seat.AgentId)
        {
            return (null, Guid.Empty, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Only the agent on the call can do this."));
        }

        return (existing, seat.AgentId, null);
    }

    private static CallCommandResponse Response(Guid callId, Call state, long version) =>
        new(callId, StateName(state), state is Call.WithAgent { OnHold: true }, (state as Call.Existing)?.Info.Disposition?.Disposition, version);

    /// <summary>The call's state as the console names it.</summary>
    public static string StateName(Call call) => call switch
    {
        Call.Offered => "offered",
        Call.WithAgent => "with_agent",
        Call.Queued => "queued",
        Call.WithRobot => "with_robot",
        Call.Ended => "ended",
        Call.Answered => "answered",
        _ => "created",
    };

    private static async Task<ValueList<string>> DispositionsOfAsync(PostgresEventStore store, string tenant, Guid taskId, CancellationToken cancellationToken)
    {
        var (task, _) = await CommandRunner.LoadAsync(store, Deciders.Task, tenant, Deciders.Task.StreamId(taskId), cancellationToken);
        return (task as CallTask.Existing)?.Setup.Dispositions ?? ValueList<string>.Empty;
    }

    private sealed record Seat(Guid AgentId, string State, Guid? CallId, DateTimeOffset Since);

    private static async Task<Seat?> SeatOfAsync(NpgsqlDataSource dataSource, string tenant, Guid employeeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select agent_id, state, call_id, since from agent_board where tenant = $1 and employee_id = $2 and not removed order by since desc limit 1");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(employeeId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Seat(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    private sealed record Claim(string SkillGroup, string Node, Dictionary<string, string> Variables, string? Context);

    private static async Task<Claim?> ClaimOfAsync(NpgsqlDataSource dataSource, string tenant, Guid callId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select skill_group, node, variables::text, context from acd_calls where tenant = $1 and call_id = $2");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(callId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Claim(
                reader.GetString(0),
                reader.GetString(1),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2)) ?? [],
                reader.IsDBNull(3) ? null : reader.GetString(3))
            : null;
    }
}
