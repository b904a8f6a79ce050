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
        var secretKeyFile = new Option<string?>("--secret-key-file")
        {
            Description = "AES key file for trunk passwords, created on first start (default: $AICC_SECRET_KEY_FILE, else $AICC_DATA/secret.key)",
        };
        var command = new Command("serve", "Run the platform host.") { connection, http, seedDemo, secretKeyFile };
        command.SetAction(async (parse, ct) =>
        {
            var app = await HostApp.BuildAsync(
                CliOptions.ResolveConnection(parse.GetValue(connection)),
                parse.GetValue(http) ?? DefaultHttp,
                ct,
                parse.GetValue(secretKeyFile));
            if (parse.GetValue(seedDemo) is { Length: > 0 } credentialsFile)
            {
                await app.StartAsync(ct);
                await DemoSeeding.SeedAndPrintAsync(
                    app.Services.GetRequiredService<Aicc.EventStore.PostgresEventStore>(), credentialsFile, app.Urls.First(), ct);
                await app.WaitForShutdownAsync(ct);
                return 0;
            }

            await app.RunAsync();
            return 0;
        });
        return command;
    }
}
