using System.Security.Claims;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicc.Handlers.Switchboard.MonitoringCalls;

/// <summary>
/// Silent monitor, whisper and barge for supervisors and admins (ADR 0018):
/// POST /api/v1/calls/{id}/monitor rings the supervisor's own seat phone (desk phone or browser
/// phone, wherever the seat registered), which joins the call in the mode asked when it answers;
/// PUT changes the mode, DELETE hangs the supervisor's phone up. The call must be with an agent
/// and carried by this node (its media is here); what happens is on the call's stream
/// (monitor started, mode changed, ended, with the supervisor's employee id).
/// </summary>
public static class MonitorCallEndpoints
{
    /// <summary>Body of POST and PUT: listen (silent), whisper (only the agent hears you) or barge (both hear you).</summary>
    public sealed record MonitorRequest(string? Mode);

    /// <summary>The supervisor's monitor of a call: ringing (the phone has not answered yet) or joined.</summary>
    public sealed record MonitorResponse(Guid CallId, Guid SupervisorId, string Mode, string State);

    public static IEndpointRouteBuilder MapMonitorCallEndpoints(this IEndpointRouteBuilder app, string policy)
    {
        app.MapPost("/api/v1/calls/{callId:guid}/monitor", StartAsync)
            .RequireAuthorization(policy)
            .WithTags("Supervision")
            .WithName("MonitorCall")
            .WithSummary("Ring the signed-in supervisor's seat phone; on answer it joins the call in listen (silent), whisper (agent only) or barge mode. 202 while it rings.");
        app.MapPut("/api/v1/calls/{callId:guid}/monitor", ChangeAsync)
            .RequireAuthorization(policy)
            .WithTags("Supervision")
            .WithName("ChangeCallMonitorMode")
            .WithSummary("Switch the supervisor's monitor of the call between listen, whisper and barge.");
        app.MapDelete("/api/v1/calls/{callId:guid}/monitor", LeaveAsync)
            .RequireAuthorization(policy)
            .WithTags("Supervision")
            .WithName("LeaveCallMonitor")
            .WithSummary("Hang up the supervisor's phone; customer and agent carry on as before.");
        return app;
    }

    public static async Task<Results<Accepted<MonitorResponse>, Ok<MonitorResponse>, ValidationProblem, ProblemHttpResult>> StartAsync(
        Guid callId, MonitorRequest request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, CancellationToken cancellationToken)
    {
        if (ParseMode(request.Mode) is not { } mode)
        {
            return InvalidMode();
        }

        var tenant = user.Tenant();
        var (call, _) = await CommandRunner.LoadAsync(store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), cancellationToken);
        if (call is not Call.Existing)
        {
            return Problems.NotFound("call", callId);
        }

        if (call is not Call.WithAgent)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible now", detail: "The call is not connected to an agent.", type: "call.not_with_agent");
        }

        var supervisorId = user.EmployeeId();
        var phone = await PhoneOfAsync(store, tenant, user.TenantId(), supervisorId, cancellationToken);
        if (phone is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "No phone",
                detail: "Your employee has no agent seat with SIP credentials, so there is no phone to ring; create a seat and sign in its phone.",
                type: "monitor.no_phone");
        }

        if (phone.TakesCalls)
        {
            // The distributor offers calls to a ready seat's phone: it would ring on the phone that is listening in.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Seat taking calls",
                detail: "Your seat is ready for calls (or on one), so its phone cannot also listen in; go not ready first.",
                type: "monitor.seat_taking_calls");
        }

        var desk = http.RequestServices.GetService<ICallMonitorDesk>();
        var outcome = desk is null ? MonitorOutcome.NotCarried : await desk.MonitorAsync(user.TenantId(), callId, supervisorId, phone.Seat, mode, cancellationToken);
        var response = new MonitorResponse(callId, supervisorId, Name(mode), outcome == MonitorOutcome.Joined ? "joined" : "ringing");
        return outcome switch
        {
            MonitorOutcome.Ringing => TypedResults.Accepted($"/api/v1/calls/{callId}/monitor", response),
            MonitorOutcome.Joined => TypedResults.Ok(response),
            _ => await ProblemAsync(outcome, store, tenant, callId, cancellationToken),
        };
    }

    public static async Task<Results<Ok<MonitorResponse>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        Guid callId, MonitorRequest request, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, CancellationToken cancellationToken)
    {
        if (ParseMode(request.Mode) is not { } mode)
        {
            return InvalidMode();
        }

        var desk = http.RequestServices.GetService<ICallMonitorDesk>();
        var outcome = desk is null ? MonitorOutcome.NotMonitoring : await desk.ChangeModeAsync(user.TenantId(), callId, user.EmployeeId(), mode, cancellationToken);
        return outcome is MonitorOutcome.Joined or MonitorOutcome.Ringing
            ? TypedResults.Ok(new MonitorResponse(callId, user.EmployeeId(), Name(mode), outcome == MonitorOutcome.Joined ? "joined" : "ringing"))
            : await ProblemAsync(outcome, store, user.Tenant(), callId, cancellationToken);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> LeaveAsync(
        Guid callId, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var desk = http.RequestServices.GetService<ICallMonitorDesk>();
        var outcome = desk is null ? MonitorOutcome.NotMonitoring : await desk.LeaveAsync(user.TenantId(), callId, user.EmployeeId(), cancellationToken);
        return outcome == MonitorOutcome.Left ? TypedResults.NoContent() : await ProblemAsync(outcome, store, user.Tenant(), callId, cancellationToken);
    }

    /// <summary>Accepts the mode names case-insensitively; anything else (numbers included) is refused.</summary>
    public static MonitorMode? ParseMode(string? mode) => mode?.Trim().ToLowerInvariant() switch
    {
        "listen" => MonitorMode.Listen,
        "whisper" => MonitorMode.Whisper,
        "barge" => MonitorMode.Barge,
        _ => null,
    };

    private static string Name(MonitorMode mode) => mode.ToString().ToLowerInvariant();

    private static ValidationProblem InvalidMode() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["mode"] = ["One of listen, whisper, barge."] });

    private static async Task<ProblemHttpResult> ProblemAsync(MonitorOutcome outcome, PostgresEventStore store, string tenant, Guid callId, CancellationToken cancellationToken)
    {
        switch (outcome)
        {
            case MonitorOutcome.NotWithAgent:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible now", detail: "The call is not connected to an agent.", type: "call.not_with_agent");
            case MonitorOutcome.MonitoredByAnother:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already monitored", detail: "Another supervisor is monitoring this call.", type: "call.monitored");
            case MonitorOutcome.PhoneUnreachable:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Phone not reachable", detail: "Your seat's phone is not registered; sign it in first.", type: "monitor.phone_unreachable");
            case MonitorOutcome.NotMonitoring:
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "You are not monitoring this call.", type: "monitor.not_found");
            default:
                var node = await NodeOfAsync(store.DataSource, tenant, callId, cancellationToken);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Call carried elsewhere",
                    detail: node is null ? "No node carries this call now." : $"The call is carried by node {node}; send the command there.",
                    type: "call.not_carried_here");
        }
    }

    /// <summary>The supervisor's own seat and its SIP user: the phone the platform rings for them.</summary>
    private sealed record SupervisorPhone(AgentSeat Seat, bool TakesCalls);

    private static async Task<SupervisorPhone?> PhoneOfAsync(PostgresEventStore store, string tenant, Guid tenantId, Guid employeeId, CancellationToken cancellationToken)
    {
        Guid agentId;
        await using (var command = store.DataSource.CreateCommand(
            "select agent_id from agent_board where tenant = $1 and employee_id = $2 and not removed order by since desc limit 1"))
        {
            command.Parameters.AddWithValue(tenant);
            command.Parameters.AddWithValue(employeeId);
            if (await command.ExecuteScalarAsync(cancellationToken) is not Guid found)
            {
                return null;
            }

            agentId = found;
        }

        var (seat, _) = await CommandRunner.LoadAsync(store, Deciders.Agent, tenant, Deciders.Agent.StreamId(agentId), cancellationToken);
        return seat is Agent.Active { Profile.Sip: { } sip } active
            ? new SupervisorPhone(
                new AgentSeat(tenantId, agentId, active.Profile.DisplayName, sip.Username),
                active.Presence is AgentPresence.Ready or AgentPresence.Ringing or AgentPresence.OnCall)
            : null;
    }

    private static async Task<string?> NodeOfAsync(NpgsqlDataSource dataSource, string tenant, Guid callId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select node from acd_calls where tenant = $1 and call_id = $2");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(callId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
