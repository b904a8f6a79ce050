using Serilog;
using Serilog.Events;

namespace Aicc.Api.Hosting;

/// <summary>
/// Serilog set-up: structured console output, with tenant, stream and correlation ids pushed
/// as properties by the code that knows them (<c>LogContext</c>).
/// </summary>
public static class Logging
{
    public static Serilog.ILogger Create(LogEventLevel minimum = LogEventLevel.Information) =>
        new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate:
                "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Properties:j}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Warning)
            .CreateLogger();
}
