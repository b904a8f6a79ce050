using System.Security.Cryptography;
using System.Text;
using Aicc.Handlers.Http;
using Npgsql;

namespace Aicc.Api.Http.Idempotency;

/// <summary>
/// Makes a retried POST with the same <c>Idempotency-Key</c> return the first answer instead
/// of acting twice (IETF draft-ietf-httpapi-idempotency-key-header). The stored response is a
/// convenience; the guarantee comes from commands deriving their new stream ids from the key
/// (<see cref="Aicc.Handlers.Http.IdempotencyKeys.DeriveId"/>), so even a retry after a crash between acting and
/// storing the answer lands on the same stream instead of creating a second one.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, NpgsqlDataSource dataSource, TimeProvider clock, ILogger<IdempotencyMiddleware> logger)
{
    public const string Header = IdempotencyKeys.Header;
    private const int MaxKeyLength = 255;
    private static readonly TimeSpan InFlightTimeout = TimeSpan.FromSeconds(30);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Headers.TryGetValue(Header, out var values)
            || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid Idempotency-Key",
                detail: $"The {Header} header must be 1 to {MaxKeyLength} characters.").ExecuteAsync(context);
            return;
        }

        var tenant = context.User.Tenant();
        context.Request.EnableBuffering();
        var requestHash = await HashRequestAsync(context.Request);
        var now = clock.GetUtcNow();

        var claim = await ClaimAsync(tenant, key, requestHash, now, context.RequestAborted);
        switch (claim)
        {
            case Claim.Replay replay:
                await WriteReplayAsync(context, replay);
                return;
            case Claim.Mismatch:
                await Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused",
                    detail: "This Idempotency-Key was already used with a different request.").ExecuteAsync(context);
                return;
            case Claim.InFlight:
                await Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Request in progress",
                    detail: "A request with this Idempotency-Key is still being processed; retry shortly.").ExecuteAsync(context);
                return;
        }

        var originalBody = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            await ForgetAsync(tenant, key);
            throw;
        }
        finally
        {
            context.Response.Body = originalBody;
        }

        buffer.Position = 0;
        if (context.Response.StatusCode >= 500)
        {
            await ForgetAsync(tenant, key);
        }
        else
        {
            await CompleteAsync(tenant, key, context.Response, buffer.ToArray(), context.RequestAborted);
        }

        await buffer.CopyToAsync(originalBody, context.RequestAborted);
    }

    private abstract record Claim
    {
        public sealed record Acquired : Claim;

        public sealed record Replay(int StatusCode, string? ContentType, string? Location, string? ETag, byte[] Body) : Claim;

        public sealed record Mismatch : Claim;

        public sealed record InFlight : Claim;
    }

    private async Task<Claim> ClaimAsync(string tenant, string key, string requestHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand(
            """
            insert into api_idempotency (tenant, key, request_hash, created_at) values ($1, $2, $3, $4)
            on conflict (tenant, key) do update set created_at = excluded.created_at
                where api_idempotency.completed_at is null and api_idempotency.created_at < $5
                  and api_idempotency.request_hash = excluded.request_hash
            returning 1
            """);
        insert.Parameters.AddWithValue(tenant);
        insert.Parameters.AddWithValue(key);
        insert.Parameters.AddWithValue(requestHash);
        insert.Parameters.AddWithValue(now);
        insert.Parameters.AddWithValue(now - InFlightTimeout); // a claim this old belongs to a crashed request
        if (await insert.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return new Claim.Acquired();
        }

        await using var select = dataSource.CreateCommand(
            "select request_hash, status_code, content_type, location, etag, body from api_idempotency where tenant = $1 and key = $2");
        select.Parameters.AddWithValue(tenant);
        select.Parameters.AddWithValue(key);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new Claim.InFlight(); // deleted by a failing first attempt just now: let the client retry
        }

        if (reader.GetString(0) != requestHash)
        {
            return new Claim.Mismatch();
        }

        if (reader.IsDBNull(1))
        {
            return new Claim.InFlight();
        }

        return new Claim.Replay(
            reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? [] : reader.GetFieldValue<byte[]>(5));
    }

    private async Task CompleteAsync(string tenant, string key, HttpResponse response, byte[] body, CancellationToken cancellationToken)
    {
        await using var update = dataSource.CreateCommand(
            """
            update api_idempotency set status_code = $3, content_type = $4, location = $5, etag = $6, body = $7, completed_at = $8
            where tenant = $1 and key = $2
            """);
        update.Parameters.AddWithValue(tenant);
        update.Parameters.AddWithValue(key);
        update.Parameters.AddWithValue(response.StatusCode);
        update.Parameters.AddWithValue((object?)response.ContentType ?? DBNull.Value);
        update.Parameters.AddWithValue((object?)response.Headers.Location.ToString().NullIfEmpty() ?? DBNull.Value);
        update.Parameters.AddWithValue((object?)response.Headers.ETag.ToString().NullIfEmpty() ?? DBNull.Value);
        update.Parameters.AddWithValue(body);
        update.Parameters.AddWithValue(clock.GetUtcNow());
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task ForgetAsync(string tenant, string key)
    {
        try
        {
            await using var delete = dataSource.CreateCommand("delete from api_idempotency where tenant = $1 and key = $2 and completed_at is null");
            delete.Parameters.AddWithValue(tenant);
            delete.Parameters.AddWithValue(key);
            await delete.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            logger.LogWarning(ex, "Could not release idempotency key {Key} of tenant {Tenant}; it frees itself after {Timeout}", key, tenant, InFlightTimeout);
        }
    }

    private static async Task WriteReplayAsync(HttpContext context, Claim.Replay replay)
    {
        context.Response.StatusCode = replay.StatusCode;
        if (replay.ContentType is not null)
        {
            context.Response.ContentType = replay.ContentType;
        }

        if (replay.Location is not null)
        {
            context.Response.Headers.Location = replay.Location;
        }

        if (replay.ETag is not null)
        {
            context.Response.Headers.ETag = replay.ETag;
        }

        context.Response.Headers["Idempotent-Replayed"] = "true";
        await context.Response.Body.WriteAsync(replay.Body, context.RequestAborted);
    }

    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

internal static class StringExtensions
{
    public static string? NullIfEmpty(this string value) => value.Length == 0 ? null : value;
}
