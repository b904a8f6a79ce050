using Aicc.Api.Edge;
using Aicc.Api.Http.Agents;
using Aicc.Api.Http.Auth;
using Aicc.Api.Http.Calls;
using Aicc.Api.Http.Dialing;
using Aicc.Api.Http.Employees;
using Aicc.Api.Http.Resources;
using Aicc.Api.Http.Statistics;
using Aicc.Api.Http.Errors;
using Aicc.Api.Http.Tasks;
using Aicc.Api.Web;
using Aicc.Handlers.Agents.ChangingAgentState;
using Aicc.Handlers.Agents.CreatingAgent;
using Aicc.Handlers.Agents.ProvisioningSoftphone;
using Aicc.Handlers.Agents.SettingSipCredentials;
using Aicc.Handlers.Switchboard.HandlingAgentCalls;
using Aicc.Handlers.Switchboard.MonitoringCalls;
using Aicc.Handlers.Switchboard.PlacingManualCall;
using Aicc.Handlers.Dialing;
using Aicc.Handlers.Employees.IssuingApiKey;
using Aicc.Handlers.Employees.RegisteringEmployee;
using Aicc.Handlers.Employees.RevokingApiKey;
using Aicc.Handlers.EventTypes;
using Aicc.Handlers.Lines.CreatingLine;
using Aicc.Handlers.Lines.ReconfiguringLine;
using Aicc.Handlers.Lines.SettingCredentials;
using Aicc.Handlers.Security;
using Aicc.Handlers.Robots.ChangingCapacity;
using Aicc.Handlers.Robots.ChangingVoice;
using Aicc.Handlers.Robots.CreatingRobot;
using Aicc.Handlers.Robots.PinningScript;
using Aicc.Handlers.Scripts;
using Aicc.Handlers.Scripts.CreatingScript;
using Aicc.Handlers.Scripts.PublishingScriptVersion;
using Aicc.Api.Http.Scripts;
using Aicc.Api.Http.Tenants;
using Aicc.Handlers.Tenants.ChangingTenantSettings;
using Aicc.Handlers.Tasks.ChangingTaskState;
using Aicc.Handlers.Tasks.UpdatingTaskSettings;
using Aicc.Handlers.Tasks.CreatingTask;
using Aicc.Handlers.Tasks.ImportingCustomers;
using Aicc.Api.Http.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Aicc.Handlers.Recording;
using Serilog;

namespace Aicc.Api.Hosting;

/// <summary>Composes the ASP.NET Core host: database, OpenAPI, health and the capability endpoints.</summary>
public static class HostApp
{
    /// <param name="telephony">SIP, robots and inbound routing; null runs the host without telephony (HTTP-only tests, tools).</param>
    /// <param name="secretKeyFile">The AES key file for trunk passwords (ADR 0011), created on first start; default <see cref="DefaultSecretKeyFile"/>.</param>
    /// <param name="settings">Configuration on top of the environment (tests: the softphone edge).</param>
    public static async Task<WebApplication> BuildAsync(
        string connectionString, string httpUrl, CancellationToken cancellationToken, TelephonyOptions? telephony = null, string? secretKeyFile = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        Log.Logger = Logging.Create();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(Log.Logger, dispose: false);
        builder.WebHost.UseUrls(httpUrl);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var dataSource = Database.Open(connectionString);
        await Database.MigrateAsync(dataSource, cancellationToken);
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddSingleton(services => Platform.CreateEventStore(dataSource, services.GetRequiredService<ILoggerFactory>()));
        await Aicc.Projections.Resources.ResourceListBackfill.RunAsync(Platform.CreateEventStore(dataSource), cancellationToken);
        builder.Services.AddExceptionHandler<DomainErrorHandler>();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            foreach (var converter in DomainEventTypes.SerializerOptions().Converters)
            {
                options.SerializerOptions.Converters.Add(converter);
            }
        });
        builder.Services.AddProjectionDaemon();
        builder.Services.AddSingleton<ProjectionMoves>().AddHostedService(services => services.GetRequiredService<ProjectionMoves>());
        builder.Services.AddSingleton<FloorReads>();
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ScriptLibrary>();
        builder.Services.AddSingleton(SecretBox.LoadOrCreate(secretKeyFile ?? DefaultSecretKeyFile()));
        builder.Services.AddSingleton<LineSecrets>();
        builder.Services.AddAiccAuth();
        builder.Services.AddSoftphoneEdge(builder.Configuration);
        builder.Services.AddSingleton(builder.Configuration["Recordings:Directory"] is { Length: > 0 } recordings ? new RecordingsFolder(recordings) : RecordingsFolder.FromEnvironment());
        if (telephony is not null)
        {
            builder.Services.AddTelephony(telephony);
        }
        builder.Services.AddDialing();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseMiddleware<TenantSuspension>();
        app.UseAuthorization();
        app.UseMiddleware<Aicc.Api.Http.Logging.RequestLogContext>();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "AI call center v1");
            options.RoutePrefix = "swagger";
        });

        app.MapGet("/health", CheckHealthAsync)
            .WithName("Health")
            .WithSummary("200 once the host and its database answer; 503 otherwise.");

        app.MapGet("/health/projections", async (NpgsqlDataSource db, CancellationToken ct) =>
                TypedResults.Ok(await Aicc.EventStore.Projections.ProjectionDaemon.GetStatusAsync(db, ct)))
            .WithName("ProjectionHealth")
            .WithSummary("Each async projection's checkpoint, the high-water mark, lag, owner and last error.");
        app.MapAuthEndpoints();
        app.MapCreateTask(Roles.Manage);
        app.MapImportCustomers(Roles.Manage);
        app.MapTaskQueries(Roles.Member);
        app.MapRegisterEmployee(Roles.Admin);
        app.MapIssueApiKey(Roles.Admin);
        app.MapRevokeApiKey(Roles.Admin);
        app.MapEmployeeQueries(Roles.Supervise);
        app.MapCreateAgent(Roles.Supervise);
        app.MapChangeAgentState(Roles.Agent);
        app.MapSetAgentSipCredentials(Roles.Agent);
        app.MapAgentCallEndpoints(Roles.Agent);
        app.MapMonitorCallEndpoints(Roles.Supervise);
        app.MapPlaceManualCall(Roles.Agent);
        app.MapAgentQueries(Roles.Member);
        app.MapUpdateTaskSettings(Roles.Manage);
        app.MapChangeTaskState(Roles.Manage);
        app.MapCreateLine(Roles.Manage);
        app.MapSetLineCredentials(Roles.Manage);
        app.MapReconfigureLine(Roles.Manage);
        app.MapCreateRobot(Roles.Manage);
        app.MapPinRobotScript(Roles.Manage);
        app.MapChangeRobotVoice(Roles.Manage);
        app.MapChangeRobotCapacity(Roles.Manage);
        app.MapResourceQueries(Roles.Member);
        app.MapCreateScript(Roles.Author);
        app.MapPublishScriptVersion(Roles.Author);
        app.MapScriptQueries(Roles.Review);
        app.MapTenantQueries(Roles.Member);
        app.MapChangeTenantSettings(Roles.Admin);
        app.MapCallQueries(Roles.Member);
        app.MapCallTranscript(Roles.Agent);
        app.MapCallRecordingDownloads(Roles.Agent);
        app.MapStatisticsQueries(Roles.Member);
        app.MapProvisionSoftphone(Roles.Member);
        app.MapFloorQueries(Roles.Member);
        app.MapMyRecentCalls(Roles.Agent);
        app.MapConsolePages();
        app.MapNumberEndpoints(write: Roles.Operate, read: Roles.Manage, lease: Roles.Member);
        app.MapComplianceEndpoints(write: Roles.Operate, read: Roles.Manage);

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var address in app.Urls)
            {
                Log.Information("Serving {Address} (OpenAPI {Address}/openapi/v1.json, UI {Address}/swagger)", address, address, address);
            }
        });
        return app;
    }

    /// <summary><c>$AICC_SECRET_KEY_FILE</c>, else <c>secret.key</c> in <c>$AICC_DATA</c> (./run's data folder), else in ./.data.</summary>
    public static string DefaultSecretKeyFile() =>
        Environment.GetEnvironmentVariable("AICC_SECRET_KEY_FILE") is { Length: > 0 } file
            ? file
            : Path.Combine(Environment.GetEnvironmentVariable("AICC_DATA") is { Length: > 0 } data ? data : ".data", "secret.key");

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> CheckHealthAsync(
        NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return TypedResults.Ok(new HealthReport("healthy", "up"));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return TypedResults.Json(new HealthReport("unhealthy", ex.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>What <c>GET /health</c> answers: overall status and the database's.</summary>
    public sealed record HealthReport(string Status, string Database);
}
