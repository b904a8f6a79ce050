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
        var command = new Command("serve", "Run the platform host.") { connection, http };
        command.SetAction(async (parse, ct) =>
        {
            var app = await HostApp.BuildAsync(
                CliOptions.ResolveConnection(parse.GetValue(connection)),
                parse.GetValue(http) ?? DefaultHttp,
                ct);
            await app.RunAsync();
            return 0;
        });
        return command;
    }
}
