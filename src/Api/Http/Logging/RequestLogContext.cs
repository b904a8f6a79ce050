using Aicc.Handlers.Http;
using Serilog.Context;

namespace Aicc.Api.Http.Logging;

/// <summary>
/// Puts the caller's tenant and employee and the request's correlation id on every log event
/// written while the request runs, so one tenant's or one request's story can be filtered out
/// of the logs. A client may send its own <c>X-Correlation-Id</c>; it is echoed back.
/// </summary>
public sealed class RequestLogContext(RequestDelegate next)
{
    public const string Header = "X-Correlation-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var correlation = context.Request.Headers.TryGetValue(Header, out var given) && given.ToString() is { Length: > 0 and <= 128 } id
            ? id
            : context.TraceIdentifier;
        context.Response.Headers[Header] = correlation;
        var authenticated = context.User.Identity?.IsAuthenticated == true;
        using (LogContext.PushProperty("CorrelationId", correlation))
        using (LogContext.PushProperty("Tenant", authenticated ? context.User.Tenant() : null))
        using (LogContext.PushProperty("Employee", authenticated ? context.User.EmployeeKey() : null))
        {
            await next(context);
        }
    }
}
