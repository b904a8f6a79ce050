using System.Security.Claims;
using Aicc.Domain.Conversation.Scripts;
using Aicc.Domain.Scripts;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Http;
using Aicc.Handlers.Scripts;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Aicc.Api.Http.Scripts;

/// <summary>
/// Reading dialog scripts: the list from the inline script_list read model, one script with its
/// versions from its stream (ETag for If-Match on the next publish), and a version's document.
/// </summary>
public static class ScriptQueries
{
    /// <summary>A row of the script list; <c>key</c> is the id written inside the document.</summary>
    public sealed record ScriptSummary(Guid Id, string Key, string Name, string Language, int LatestVersion, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    /// <summary>A page of scripts, by name.</summary>
    public sealed record ScriptPage(IReadOnlyList<ScriptSummary> Items, long Total, int Limit, int Offset);

    /// <summary>One published version: its number, when, and a digest of its content.</summary>
    public sealed record ScriptVersionInfo(int Version, DateTimeOffset PublishedAt, string Digest, int Nodes, int Intents);

    /// <summary>A script with every published version.</summary>
    public sealed record ScriptDetail(Guid Id, string Name, string Language, int LatestVersion, long Version, IReadOnlyList<ScriptVersionInfo> Versions);

    public static IEndpointRouteBuilder MapScriptQueries(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/api/v1/scripts", ListAsync).RequireAuthorization(policy).WithTags("Scripts").WithName("ListScripts")
            .WithSummary("The tenant's dialog scripts with their latest version, by name (limit 1-500, default 100).");
        app.MapGet("/api/v1/scripts/{scriptId:guid}", GetAsync).RequireAuthorization(policy).WithTags("Scripts").WithName("GetScript")
            .WithSummary("One script and its published versions; the ETag is for If-Match when publishing the next version.");
        app.MapGet("/api/v1/scripts/{scriptId:guid}/versions/{version:int}", GetVersionAsync).RequireAuthorization(policy)
            .WithTags("Scripts").WithName("GetScriptVersion")
            .WithSummary("The document of one published version (immutable), in the shape uploads use.");
        app.MapGet("/api/v1/scripts/schema", () => TypedResults.Text(ScriptValidation.Schema().ToJsonString(), "application/schema+json"))
            .RequireAuthorization(policy).WithTags("Scripts").WithName("GetScriptSchema")
            .WithSummary("The JSON Schema of a script document (also the request body schema of the upload endpoints).");
        return app;
    }

    private static async Task<Results<Ok<ScriptPage>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken cancellationToken, int limit = 100, int offset = 0)
    {
        if (limit is < 1 or > 500 || offset < 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [limit is < 1 or > 500 ? "limit" : "offset"] = [limit is < 1 or > 500 ? "Between 1 and 500." : "Zero or more."],
            });
        }

        await using var command = dataSource.CreateCommand(
            """
            select script_id, key, name, language, latest_version, version, created_at, updated_at, count(*) over ()
            from script_list where tenant = $1
            order by lower(name), script_id limit $2 offset $3
            """);
        command.Parameters.AddWithValue(user.Tenant());
        command.Parameters.AddWithValue(limit);
        command.Parameters.AddWithValue(offset);
        var items = new List<ScriptSummary>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new ScriptSummary(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.GetInt64(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7)));
            total = reader.GetInt64(8);
        }

        return TypedResults.Ok(new ScriptPage(items, total, limit, offset));
    }

    private static async Task<Results<Ok<ScriptDetail>, ProblemHttpResult>> GetAsync(
        Guid scriptId, ClaimsPrincipal user, HttpResponse response, PostgresEventStore store, CancellationToken cancellationToken)
    {
        var recorded = await store.ReadStreamAsync(user.Tenant(), Deciders.Script.StreamId(scriptId), 1, cancellationToken);
        var events = recorded.Select(e => e.Data).OfType<ScriptEvent>().ToList();
        if (Deciders.Script.Definition.Fold(events) is not Script.Existing script)
        {
            return Problems.NotFound("script", scriptId);
        }

        var version = recorded[^1].Version;
        var versions = events.OfType<ScriptEvent.VersionPublished>()
            .Select(v => new ScriptVersionInfo(v.Version, v.PublishedAt, v.Digest, v.Document.Nodes.Count, v.Document.Intents.Count))
            .ToList();
        Versions.SetETag(response, version);
        return TypedResults.Ok(new ScriptDetail(script.ScriptId, script.Name, script.Language, script.LatestVersion, version, versions));
    }

    private static async Task<Results<Ok<DialogScript>, ProblemHttpResult>> GetVersionAsync(
        Guid scriptId, int version, ClaimsPrincipal user, ScriptLibrary library, CancellationToken cancellationToken)
    {
        var document = await library.LoadAsync(user.TenantId(), scriptId, version, cancellationToken);
        return document is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"No script {scriptId} version {version}.")
            : TypedResults.Ok(document);
    }
}
