using System.Security.Claims;
using Aicc.Domain;
using Aicc.Domain.Common;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Aicc.Handlers.Tasks.ImportingCustomers;

/// <summary>
/// POST /api/v1/tasks/{id}/customers: a CSV or XLSX list of customers. Seed 002's rule is
/// "persist first, then dial": rows are validated and appended to a batch stream in chunks,
/// and only the sealed batch is accepted by the task, so a crash mid-upload leaves an open
/// batch that is never dialed. Every bad row is reported with its row number (header = row 1);
/// a number twice in the file or already in the task is a rejected row, never dialed twice.
/// </summary>
public static class ImportCustomers
{
    /// <summary>One rejected row and why.</summary>
    public sealed record Rejection(int Row, string Reason);

    /// <summary>What an upload answers.</summary>
    public sealed record Response(Guid BatchId, int Accepted, IReadOnlyList<Rejection> Rejected, int Duplicates, long TaskVersion);

    public static RouteHandlerBuilder MapImportCustomers(this IEndpointRouteBuilder app, string policy) =>
        app.MapPost("/api/v1/tasks/{taskId:guid}/customers", HandleAsync)
            .RequireAuthorization(policy)
            .WithTags("Tasks")
            .WithName("ImportCustomers")
            .Accepts<string>("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "multipart/form-data")
            .DisableAntiforgery()
            .WithSummary("Upload customers as CSV (text/csv, header row with a 'phone' column) or XLSX; other columns become variables.");

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(
        Guid taskId, ClaimsPrincipal user, HttpContext http, PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        var (task, _) = await CommandRunner.LoadAsync(store, Deciders.Task, tenant, Deciders.Task.StreamId(taskId), cancellationToken);
        if (task is not CallTask.Existing)
        {
            return Problems.NotFound("task", taskId);
        }

        var (upload, format, sourceName) = await OpenUploadAsync(http.Request, cancellationToken);
        if (upload is null || format is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported upload",
                detail: "Send text/csv, an XLSX body, or multipart/form-data with one file part (.csv or .xlsx).");
        }

        await using (upload)
        {
            try
            {
                return TypedResults.Ok(await ImportAsync(store, tenant, user, taskId, upload, format.Value, sourceName, http.IdempotencyKey(), clock, cancellationToken));
            }
            catch (CustomerFileException ex)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unreadable customer file", detail: ex.Message);
            }
        }
    }

    public static async Task<Response> ImportAsync(
        PostgresEventStore store, string tenant, ClaimsPrincipal user, Guid taskId, Stream upload, CustomerFileReader.Format format,
        string sourceName, string? idempotencyKey, TimeProvider clock, CancellationToken cancellationToken)
    {
        var batchId = IdempotencyKeys.DeriveId(tenant, $"batch:{taskId}", idempotencyKey);
        var batchStream = Deciders.CustomerBatch.StreamId(batchId);
        var metadata = new EventMetadata(CorrelationId: batchId.ToString(), User: user.EmployeeKey());
        await CommandRunner.RunAsync(store, Deciders.CustomerBatch, tenant, batchStream,
            new CustomerBatchCommand.Open(batchId, taskId, user.TenantId(), sourceName, clock.GetUtcNow()), metadata: metadata, cancellationToken: cancellationToken);

        var rejected = new List<Rejection>();
        var firstRowOfNumber = new Dictionary<string, int>(StringComparer.Ordinal);
        var chunk = new List<TaskCustomer>(CustomerBatchDecider.MaxChunkSize);
        var chunkNumber = 0;
        var accepted = 0;
        var duplicates = 0;

        async Task FlushAsync()
        {
            if (chunk.Count == 0)
            {
                return;
            }

            var known = await NumbersAlreadyInTaskAsync(store.DataSource, tenant, taskId, chunk, cancellationToken);
            var fresh = new List<TaskCustomer>(chunk.Count);
            foreach (var customer in chunk)
            {
                if (known.Contains(customer.Phone.E164))
                {
                    duplicates++;
                    rejected.Add(new Rejection(customer.Row, $"duplicate: {customer.Phone.E164} is already in this task from an earlier upload"));
                }
                else
                {
                    fresh.Add(customer);
                }
            }

            if (fresh.Count > 0)
            {
                await CommandRunner.RunAsync(store, Deciders.CustomerBatch, tenant, batchStream,
                    new CustomerBatchCommand.AddCustomers(batchId, chunkNumber++, new ValueList<TaskCustomer>(fresh), clock.GetUtcNow()),
                    metadata: metadata, cancellationToken: cancellationToken);
                accepted += fresh.Count;
            }

            chunk.Clear();
        }

        await foreach (var row in CustomerFileReader.ReadAsync(upload, format, cancellationToken))
        {
            if (!PhoneNumber.TryParse(row.Phone, out var phone, out var failure))
            {
                rejected.Add(new Rejection(row.Row, $"phone '{row.Phone}': {PhoneNumber.Describe(failure)}"));
                continue;
            }

            if (firstRowOfNumber.TryGetValue(phone.E164, out var firstRow))
            {
                duplicates++;
                rejected.Add(new Rejection(row.Row, $"duplicate: {phone.E164} is also on row {firstRow}"));
                continue;
            }

            firstRowOfNumber[phone.E164] = row.Row;
            chunk.Add(new TaskCustomer(Guid.CreateVersion7(), row.Row, phone, new ValueMap(row.Variables)));
            if (chunk.Count == CustomerBatchDecider.MaxChunkSize)
            {
                await FlushAsync();
            }
        }

        await FlushAsync();
        rejected.Sort((a, b) => a.Row.CompareTo(b.Row));

        // Seal and accept together: the task never counts a batch that is not sealed, and a sealed
        // batch is never left unaccepted.
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var session = store.OpenSession(connection, transaction);
        await CommandRunner.RunAsync(session, store, Deciders.CustomerBatch, tenant, batchStream,
            new CustomerBatchCommand.Seal(batchId, rejected.Count - duplicates, duplicates, clock.GetUtcNow()), metadata, cancellationToken);
        var taskResult = await CommandRunner.RunAsync(session, store, Deciders.Task, tenant, Deciders.Task.StreamId(taskId),
            new CallTaskCommand.AcceptCustomerBatch(taskId, batchId, accepted, rejected.Count - duplicates, duplicates, clock.GetUtcNow()),
            metadata, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Response(batchId, accepted, rejected, duplicates, taskResult.Version);
    }

    private static async Task<HashSet<string>> NumbersAlreadyInTaskAsync(
        NpgsqlDataSource dataSource, string tenant, Guid taskId, List<TaskCustomer> chunk, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select e164 from task_phone_numbers where tenant = $1 and task_id = $2 and e164 = any($3)");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(taskId);
        command.Parameters.AddWithValue(chunk.Select(c => c.Phone.E164).ToArray());
        var known = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            known.Add(reader.GetString(0));
        }

        return known;
    }

    /// <summary>The upload's bytes and format: a raw CSV/XLSX body, or the one file of a multipart form.</summary>
    private static async Task<(Stream? Stream, CustomerFileReader.Format? Format, string SourceName)> OpenUploadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var file = form.Files.Count == 1 ? form.Files[0] : null;
            if (file is null)
            {
                return (null, null, "");
            }

            var format = Path.GetExtension(file.FileName).ToLowerInvariant() switch
            {
                ".csv" or ".txt" => CustomerFileReader.Format.Csv,
                ".xlsx" => CustomerFileReader.Format.Xlsx,
                _ => CustomerFileReader.FormatOf(file.ContentType),
            };
            return (file.OpenReadStream(), format, file.FileName);
        }

        var bodyFormat = CustomerFileReader.FormatOf(request.ContentType);
        return (bodyFormat is null ? null : request.Body, bodyFormat, bodyFormat == CustomerFileReader.Format.Csv ? "upload.csv" : "upload.xlsx");
    }
}
