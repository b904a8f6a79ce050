using System.Security.Claims;
using System.Text.Json;
using Aicc.EventStore;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Calls;

/// <summary>
/// The call record query API: filtered pages, one record, a call's full event history (for
/// analysts: every step with its timestamp and metadata), and the CSV export. Records come from
/// the async call-records projection, so a call appears within the daemon's poll interval.
/// </summary>
public static class CallQueries
{
    /// <summary>A page of call records, newest first.</summary>
    public sealed record CallPage(IReadOnlyList<CallRecords.CallRecord> Items, long Total, int Limit, int Offset);

    /// <summary>One event of a call's stream as stored.</summary>
    public sealed record CallHistoryEvent(long Position, long Version, string Type, DateTimeOffset Timestamp, JsonElement Data, EventMetadata? Metadata);

    public static IEndpointRouteBuilder MapCallQueries(this IEndpointRouteBuilder app, string policy)
    {
        var group = app.MapGroup("/api/v1/calls").RequireAuthorization(policy).WithTags("Calls");
        group.MapGet("", ListAsync).WithName("ListCalls")
            .WithSummary("Call records, newest first; filter by from/to (creation time), taskId, agentId, number (caller or called), outcome; limit 1-500, offset.");
        group.MapGet("/{callId:guid}", GetAsync).WithName("GetCall").WithSummary("One call record (seed 001's columns plus task, agent, outcome, disposition).");
        group.MapGet("/{callId:guid}/events", HistoryAsync).WithName("GetCallEvents").WithSummary("A call's full event history with timestamps and metadata.");
        group.MapGet("/export", ExportAsync).WithName("ExportCalls")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .WithSummary("Call records between from and to as CSV (text/csv), oldest first.");
        return app;
    }

    private static async Task<Results<Ok<CallPage>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null, Guid? taskId = null, Guid? agentId = null, string? number = null,
        string? outcome = null, int limit = 50, int offset = 0)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > 500)
        {
            errors["limit"] = ["Between 1 and 500."];
        }

        if (offset < 0)
        {
            errors["offset"] = ["Zero or more."];
        }

        if (from is not null && to is not null && to <= from)
        {
            errors["to"] = ["After from."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (items, total) = await CallRecords.PageAsync(
            dataSource, user.Tenant(), new CallRecords.Filter(from, to, taskId, agentId, number?.Trim(), outcome?.Trim().ToLowerInvariant()),
            limit, offset, cancellationToken);
        return TypedResults.Ok(new CallPage(items, total, limit, offset));
    }

    private static async Task<Results<Ok<CallRecords.CallRecord>, ProblemHttpResult>> GetAsync(
        Guid callId, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var record = await CallRecords.FindAsync(dataSource, user.Tenant(), callId, cancellationToken);
        return record is null ? Problems.NotFound("call", callId) : TypedResults.Ok(record);
    }

    private static async Task<Results<Ok<List<CallHistoryEvent>>, ProblemHttpResult>> HistoryAsync(
        Guid callId, ClaimsPrincipal user, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var events = await store.ReadStreamAsync(user.Tenant(), $"call-{callId}", 1, cancellationToken);
        if (events.Count == 0)
        {
            return Problems.NotFound("call", callId);
        }

        return TypedResults.Ok(events.Select(e => new CallHistoryEvent(
            e.Position, e.Version, e.TypeName, e.Timestamp,
            JsonSerializer.SerializeToElement(e.Data, e.Data.GetType(), store.Registry.SerializerOptions), e.Metadata)).ToList());
    }

    private static async Task<Results<EmptyHttpResult, ValidationProblem>> ExportAsync(
        ClaimsPrincipal user, HttpContext http, NpgsqlDataSource dataSource, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (from is not null && to is not null && to <= from)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["After from."] });
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"calls.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await CallRecords.WriteCsvAsync(dataSource, user.Tenant(), from, to, writer, cancellationToken);
        return TypedResults.Empty;
    }
}
