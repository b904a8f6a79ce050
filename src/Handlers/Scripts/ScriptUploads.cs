using Aicc.Domain.Conversation.Scripts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aicc.Handlers.Scripts;

/// <summary>
/// Reads an uploaded script document and runs the same validation as <c>aicc script check</c>,
/// answering 422 with every problem (each with its node id) so nothing invalid is stored and
/// the author fixes everything in one round.
/// </summary>
public static class ScriptUploads
{
    public const string InvalidCode = "script.invalid";

    public static async Task<(DialogScript? Script, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(cancellationToken);
        var (script, problems) = string.IsNullOrWhiteSpace(json)
            ? (null, [new ScriptProblem(null, "invalid_json", "the body is empty; send the script document as JSON")])
            : ScriptValidation.Parse(json);
        if (script is not null && problems.Count == 0)
        {
            return (script, null);
        }

        return (null, TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Invalid script",
            detail: $"The script has {problems.Count} problem(s); each names its node (null for script-wide problems).",
            extensions: new Dictionary<string, object?> { ["code"] = InvalidCode, ["problems"] = problems }));
    }
}

/// <summary>Problems about script references from other resources (a robot pinning a version).</summary>
public static class ScriptProblems
{
    public const string UnknownVersionCode = "script.unknown_version";

    /// <summary>422: the referenced script or version is not published in the caller's tenant (another tenant's counts as missing).</summary>
    public static ProblemHttpResult UnknownVersion(Guid scriptId, int version) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Unknown script version",
            detail: $"Script {scriptId} has no published version {version} in this tenant.",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = UnknownVersionCode,
                ["errors"] = new Dictionary<string, string[]> { ["scriptVersion"] = [$"Script {scriptId} has no published version {version}."] },
            });
}
