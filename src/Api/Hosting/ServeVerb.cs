using System.CommandLine;
using Aicc.Api.Cli;
using Npgsql;
using Serilog;

namespace Aicc.Api.Hosting;

/// <summary><c>aicc serve</c>: runs the HTTP host (REST commands, queries, pages) in the foreground.</summary>
public static class ServeVerb
{
    public const string DefaultHttp = "http://127.0.0.1:5000";

    public static Command Build()
    {
        var connection = CliOptions.Connection();
        var http = new Option<string>("--http")
        {
            Description = "Where the HTTP API listens",
            DefaultValueFactory = _ => DefaultHttp,
        };
        var seedDemo = new Option<string?>("--seed-demo")
        {
            Description = "Seed the demo tenant if missing and print its credentials, kept in this file",
        };
        var command = new Command("serve", "Run the platform host.") { connection, http, seedDemo };
        command.SetAction(async (parse, ct) =>
        {
            var app = await HostApp.BuildAsync(
                CliOptions.ResolveConnection(parse.GetValue(connection)),
                parse.GetValue(http) ?? DefaultHttp,
                ct);
            if (parse.GetValue(seedDemo) is { Length: > 0 } credentialsFile)
            {
                await app.StartAsync(ct);
                await DemoSeeding.SeedAndPrintAsync(
                    app.Services.GetRequiredService<Aicc.EventStore.PostgresEventStore>(), credentialsFile, app.Urls.First(), ct);
                await app.WaitForShutdownAsync(ct);
                // Ctrl+C cancels ct before the host has stopped; unless it is stopped here, process
                // exit waits for the host's lifetime forever and ./run never returns.
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
                return 0;
            }

            await app.RunAsync();
            return 0;
        });
        return command;
    }
}
