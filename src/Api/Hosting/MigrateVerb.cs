using System.CommandLine;
using Aicc.Api.Cli;

namespace Aicc.Api.Hosting;

/// <summary><c>aicc migrate</c>: brings the database schema up to date and exits.</summary>
public static class MigrateVerb
{
    public static Command Build()
    {
        var connection = CliOptions.Connection();
        var command = new Command("migrate", "Apply the database schema (idempotent).") { connection };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = Database.Open(CliOptions.ResolveConnection(parse.GetValue(connection)));
            await Database.MigrateAsync(dataSource, ct);
            Console.WriteLine("schema up to date");
            return 0;
        });
        return command;
    }
}
