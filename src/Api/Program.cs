using System.CommandLine;
using Aicc.Api.Cli;

// One binary: `aicc serve` runs the host, every other verb is an operator/analyst command.
try
{
    return await CliRoot.Build().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (CliException ex)
{
    Console.Error.WriteLine($"aicc: {ex.Message}");
    return 2;
}
