using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aicc.Handlers.Http;

/// <summary>RFC 9457 problem responses that several slices answer the same way.</summary>
public static class Problems
{
    /// <summary>Another tenant's resources answer exactly like missing ones: existence is not revealed.</summary>
    public static ProblemHttpResult NotFound(string resource, Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"No {resource} {id}.");
}
