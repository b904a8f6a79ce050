using System.CommandLine;

namespace Aicc.Api.Cli;

/// <summary>Options shared by every verb that talks to the database.</summary>
public static class CliOptions
{
    /// <summary>
    /// The PostgreSQL connection string; defaults to <c>AICC_CONNECTION</c>, which ./run,
    /// ./test and ./aicc set to the private cluster they start.
    /// </summary>
    public static Option<string?> Connection() => new("--connection")
    {
        Description = "PostgreSQL connection string (default: $AICC_CONNECTION)",
    };

    /// <summary>Resolves the connection string or fails with a message that says how to give one.</summary>
    public static string ResolveConnection(string? given)
    {
        var connection = string.IsNullOrWhiteSpace(given)
            ? Environment.GetEnvironmentVariable("AICC_CONNECTION")
            : given;
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new CliException("No database: pass --connection or set AICC_CONNECTION (./aicc and ./run set it for the private cluster).");
        }

        return connection;
    }
}

/// <summary>A user-facing CLI error: printed as one line, exit code 2, no stack trace.</summary>
public sealed class CliException(string message) : Exception(message);
