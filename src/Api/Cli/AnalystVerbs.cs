using System.CommandLine;
using System.Text.Json;
using Aicc.Api.Hosting;
using Aicc.Api.Http.Calls;
using Aicc.EventStore;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc export calls</c> and <c>aicc replay</c>: what analysts ask of the platform without
/// the HTTP API: call records as CSV, and one call's full event history.
/// </summary>
public static class AnalystVerbs
{
    public static void AddTo(RootCommand root)
    {
        var export = new Command("export", "Export read models as CSV to stdout.");
        export.Add(BuildExportCalls());
        root.Add(export);
        root.Add(BuildReplay());
    }

    private static Command BuildExportCalls()
    {
        var connection = CliOptions.Connection();
        var tenant = new Option<string>("--tenant") { Description = "Tenant id", Required = true };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Calls created at or after (ISO 8601)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Calls created before (ISO 8601)" };
        var command = new Command("calls", "Call records (seed 001's columns) as CSV, oldest first.") { connection, tenant, from, to };
        command.SetAction(async (parse, ct) =>
        {
            var (fromValue, toValue) = (parse.GetValue(from), parse.GetValue(to));
            if (fromValue is not null && toValue is not null && toValue <= fromValue)
            {
                throw new CliException("--to must be after --from.");
            }

            await using var dataSource = Database.Open(CliOptions.ResolveConnection(parse.GetValue(connection)));
            await Database.MigrateAsync(dataSource, ct);
            await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false));
            await CallRecords.WriteCsvAsync(dataSource, parse.GetValue(tenant)!, fromValue, toValue, stdout, ct);
            return 0;
        });
        return command;
    }

    private static Command BuildReplay()
    {
        var connection = CliOptions.Connection();
        var tenant = new Option<string>("--tenant") { Description = "Tenant id", Required = true };
        var call = new Option<Guid>("--call") { Description = "Call id", Required = true };
        var command = new Command("replay", "A call's full event history: one JSON object per event with position, version, type, timestamp, data and metadata.")
        {
            connection, tenant, call,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = Database.Open(CliOptions.ResolveConnection(parse.GetValue(connection)));
            var store = Platform.CreateEventStore(dataSource);
            if (await WriteReplayAsync(store, parse.GetValue(tenant)!, parse.GetValue(call), Console.Out, ct) == 0)
            {
                throw new CliException($"No call {parse.GetValue(call)} in tenant {parse.GetValue(tenant)}.");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Writes a call's events as JSON lines (position, version, type, timestamp, data, metadata); returns how many.</summary>
    public static async Task<int> WriteReplayAsync(PostgresEventStore store, string tenant, Guid callId, TextWriter output, CancellationToken cancellationToken)
    {
        var events = await store.ReadStreamAsync(tenant, $"call-{callId}", 1, cancellationToken);
        foreach (var e in events)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                position = e.Position,
                version = e.Version,
                type = e.TypeName,
                timestamp = e.Timestamp,
                data = JsonSerializer.SerializeToElement(e.Data, e.Data.GetType(), store.Registry.SerializerOptions),
                metadata = e.Metadata,
            }, store.Registry.SerializerOptions));
        }

        return events.Count;
    }
}
