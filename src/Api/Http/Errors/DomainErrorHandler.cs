using Aicc.Domain;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Aicc.Api.Http.Errors;

/// <summary>
/// Turns the errors commands raise into RFC 9457 problems: a refused domain transition and a
/// lost optimistic-concurrency race are 409 Conflict (with the domain's machine-readable code),
/// malformed requests 400. Nothing was appended in either case.
/// </summary>
public sealed class DomainErrorHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            TaskIncompleteException e => Problem(StatusCodes.Status409Conflict, "Task is not complete", e.Message, e.Code, ("missing", e.Missing)),
            DomainException e => Problem(StatusCodes.Status409Conflict, "Not possible now", e.Message, e.Code),
            WrongExpectedVersionException e => Problem(StatusCodes.Status409Conflict, "Version conflict",
                $"The resource is at version {e.ActualVersion}, not {e.Expected}; read it again and retry.", "version_conflict",
                ("currentVersion", e.ActualVersion)),
            BadHttpRequestException e => Problem(e.StatusCode, "Bad request", e.Message, "bad_request"),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Problem(int status, string title, string detail, string code, params (string Key, object Value)[] extensions)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extensions)
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }
}
