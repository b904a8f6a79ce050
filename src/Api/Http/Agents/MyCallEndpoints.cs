using System.Security.Claims;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Agents;

/// <summary>
/// The two call endpoints the console needs that are pure event-store work: the signed-in
/// agent's current call (the pop-up) and the disposition. They have the routes and the JSON
/// shapes of the call distributor's agent-call endpoints (GET /api/v1/agents/me/call, POST
/// /api/v1/calls/{id}/disposition), which add the distributor's queue context; where both are
/// built into one host, the distributor's are the ones to keep and this file goes.
/// </summary>
public static class MyCallEndpoints
{
    /// <summary>The agent's current call as the pop-up shows it (the distributor's AgentCallView shape).</summary>
    public sealed record AgentCallView(
        Guid CallId, Guid AgentId, string AgentState, string CallState, bool OnHold, string Direction, string? Caller, string Called,
        Guid? TaskId, string? SkillGroup, IReadOnlyDictionary<string, string> Variables, string? Context, DateTimeOffset Since,
        string? Disposition, string? DispositionNote, IReadOnlyList<string> Dispositions, long Version);

    /// <summary>Disposition body: one of the task's dispositions, and an optional note.</summary>
    public sealed record DispositionRequest(string? Disposition, string? Note);

    /// <summary>The call after the disposition.</summary>
    public sealed record CallCommandResponse(Guid CallId, string CallState, bool OnHold, string? Disposition, long Version);

    public static IEndpointRouteBuilder MapMyCallEndpoints(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/agents/me/call", GetMyCallAsync).RequireAuthorization(policy).WithTags("Agent calls").WithName("GetMyCall")
            .WithSummary("The signed-in agent's offered, active or wrapping-up call with the customer's variables (204 when none).");
        app.MapPost("/api/v1/calls/{callId:guid}/disposition", SetDispositionAsync).RequireAuthorization(policy).WithTags("Agent calls")
            .WithName("SetCallDisposition")
            .WithSummary("Record the call's result: one of the task's dispositions (any text when the task has none), with a note.");
        return app;
    }

    private static async Task<Results<Ok<AgentCallView>, NoContent, ProblemHttpResult>> GetMyCallAsync(
        ClaimsPrincipal user, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var seat = await AgentSeats.OfAsync(store.DataSource, tenant, user.EmployeeId(), cancellationToken);
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

        var task = existing.Info.TaskId is { } taskId ? await TaskOfAsync(store, tenant, taskId, cancellationToken) : null;
        return TypedResults.Ok(new AgentCallView(
            callId, seat.AgentId, seat.State, StateName(call), call is Call.WithAgent { OnHold: true },
            existing.Info.Direction.ToString().ToLowerInvariant(), existing.Info.Caller, existing.Info.Called, existing.Info.TaskId,
            (call as Call.Queued)?.SkillGroup ?? (call as Call.Offered)?.SkillGroup ?? GroupOf(task?.Handler),
            new Dictionary<string, string>(existing.Info.BusinessData, StringComparer.Ordinal), null, seat.Since,
            existing.Info.Disposition?.Disposition, existing.Info.Disposition?.Note, task?.Dispositions ?? ValueList<string>.Empty, version));
    }

    private static async Task<Results<Ok<CallCommandResponse>, ValidationProblem, ProblemHttpResult>> SetDispositionAsync(
        Guid callId, DispositionRequest request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Disposition))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["disposition"] = ["Required."] });
        }

        var tenant = user.Tenant();
        var (call, _) = await CommandRunner.LoadAsync(store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), cancellationToken);
        if (call is not Call.Existing existing)
        {
            return Problems.NotFound("call", callId);
        }

        var seat = await AgentSeats.OfAsync(store.DataSource, tenant, user.EmployeeId(), cancellationToken);
        if (seat is null || existing.Info.AgentId != seat.AgentId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Only the agent on the call can do this.");
        }

        var allowed = existing.Info.TaskId is { } taskId
            ? (await TaskOfAsync(store, tenant, taskId, cancellationToken))?.Dispositions ?? ValueList<string>.Empty
            : ValueList<string>.Empty;
        var result = await CommandRunner.RunAsync(
            store, Deciders.Call, tenant, Deciders.Call.StreamId(callId),
            new CallCommand.SetDisposition(callId, seat.AgentId, request.Disposition, request.Note, allowed, clock.GetUtcNow()),
            expectedVersion: Versions.IfMatch(http.Request),
            metadata: new EventMetadata(User: user.EmployeeKey()),
            cancellationToken: cancellationToken);
        Versions.SetETag(http.Response, result.Version);
        return TypedResults.Ok(new CallCommandResponse(
            callId, StateName(result.State), result.State is Call.WithAgent { OnHold: true },
            (result.State as Call.Existing)?.Info.Disposition?.Disposition, result.Version));
    }

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

    private static string? GroupOf(TaskHandler? handler) => handler switch
    {
        TaskHandler.AgentGroup g => g.SkillGroup,
        TaskHandler.RobotThenAgent g => g.SkillGroup,
        _ => null,
    };

    private static async Task<TaskSetup?> TaskOfAsync(PostgresEventStore store, string tenant, Guid taskId, CancellationToken cancellationToken)
    {
        var (task, _) = await CommandRunner.LoadAsync(store, Deciders.Task, tenant, Deciders.Task.StreamId(taskId), cancellationToken);
        return (task as CallTask.Existing)?.Setup;
    }
}
