using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Aicc.Handlers.Messaging;
using Aicc.Api.Hosting;
using Aicc.Handlers.Messaging.Outbox;
using Aicc.Handlers.Messaging.Scheduling;
using Npgsql;

namespace Aicc.Api.Cli;

/// <summary>
/// Operator verbs for durable scheduled messages and the outbox: <c>jobs list</c>, <c>jobs dead</c>,
/// <c>jobs replay</c> and <c>outbox status</c>. Dead letters of both live side by side in
/// <c>jobs dead</c>, and <c>jobs replay</c> takes an id of either, since an operator chasing a
/// failure should not need to know which mechanism carried it.
/// </summary>
public static class JobsVerbs
{
    public static void AddTo(RootCommand root)
    {
        root.Add(BuildJobs());
        root.Add(BuildOutbox());
    }

    private static Command BuildJobs()
    {
        var jobs = new Command("jobs", "Durable scheduled messages: pending, dead letters, replay.");
        jobs.Add(BuildList());
        jobs.Add(BuildDead());
        jobs.Add(BuildReplay());
        jobs.Add(BuildBench());
        return jobs;
    }

    private static Command BuildList()
    {
        var connection = CliOptions.Connection();
        var due = new Option<bool>("--due") { Description = "Only messages that are due now" };
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's messages" };
        var limit = new Option<int>("--limit") { Description = "At most this many rows", DefaultValueFactory = _ => 200 };
        var command = new Command("list", "List pending scheduled messages, earliest first.") { connection, due, tenant, limit };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = await OpenAsync(parse.GetValue(connection), ct);
            var now = DateTimeOffset.UtcNow;
            var pending = await MessageScheduler.ListPendingAsync(
                dataSource, parse.GetValue(due) ? now : null, parse.GetValue(tenant), parse.GetValue(limit), ct);
            if (pending.Count == 0)
            {
                Console.WriteLine(parse.GetValue(due) ? "no scheduled messages are due" : "no scheduled messages");
                return 0;
            }

            PrintTable(
                ["ID", "TENANT", "TYPE", "DUE", "STATE", "ATTEMPTS", "LAST ERROR"],
                pending.Select(message => new[]
                {
                    message.Id.ToString(),
                    message.Tenant,
                    message.MessageType,
                    Format(message.DueAt),
                    Describe(message, now),
                    message.Attempts.ToString(CultureInfo.InvariantCulture),
                    Shorten(message.LastError),
                }));
            return 0;
        });
        return command;
    }

    private static Command BuildDead()
    {
        var connection = CliOptions.Connection();
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's dead letters" };
        var limit = new Option<int>("--limit") { Description = "At most this many rows of each kind", DefaultValueFactory = _ => 200 };
        var command = new Command("dead", "List dead letters (scheduled messages and outbox messages), newest first.") { connection, tenant, limit };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = await OpenAsync(parse.GetValue(connection), ct);
            var scheduled = await ScheduledDeadLetters.ListAsync(dataSource, parse.GetValue(tenant), parse.GetValue(limit), ct);
            var outbox = await OutboxQueries.ListDeadAsync(dataSource, parse.GetValue(tenant), parse.GetValue(limit), ct);
            if (scheduled.Count == 0 && outbox.Count == 0)
            {
                Console.WriteLine("no dead letters");
                return 0;
            }

            var rows = scheduled
                .Select(dead => (dead.DeadAt, Row: new[]
                {
                    dead.Id.ToString(), dead.Tenant, "scheduled", dead.MessageType,
                    dead.Attempts.ToString(CultureInfo.InvariantCulture), Format(dead.DeadAt), Shorten(dead.LastError),
                }))
                .Concat(outbox.Select(dead => (dead.DeadAt, Row: new[]
                {
                    dead.Id.ToString(), dead.Tenant, "outbox", dead.Destination,
                    dead.Attempts.ToString(CultureInfo.InvariantCulture), Format(dead.DeadAt), Shorten(dead.LastError),
                })))
                .OrderByDescending(entry => entry.DeadAt)
                .Select(entry => entry.Row);
            PrintTable(["ID", "TENANT", "KIND", "TYPE/DESTINATION", "ATTEMPTS", "DEAD AT", "LAST ERROR"], rows);
            return 0;
        });
        return command;
    }

    private static Command BuildReplay()
    {
        var connection = CliOptions.Connection();
        var id = new Argument<string>("id") { Description = "Id of a dead letter (from `aicc jobs dead`)" };
        var command = new Command("replay", "Put a dead letter back to be tried again now, with a fresh attempt count.") { connection, id };
        command.SetAction(async (parse, ct) =>
        {
            if (!Guid.TryParse(parse.GetValue(id), out var deadId))
            {
                throw new CliException($"'{parse.GetValue(id)}' is not a message id (a UUID).");
            }

            await using var dataSource = await OpenAsync(parse.GetValue(connection), ct);
            try
            {
                if (await ScheduledDeadLetters.ReplayAsync(dataSource, deadId, DateTimeOffset.UtcNow, ct))
                {
                    Console.WriteLine($"scheduled message {deadId} replayed: due now");
                    return 0;
                }
            }
            catch (InvalidOperationException ex)
            {
                throw new CliException(ex.Message);
            }

            if (await OutboxQueries.ReplayDeadAsync(dataSource, deadId, DateTimeOffset.UtcNow, ct))
            {
                Console.WriteLine($"outbox message {deadId} replayed: deliverable now");
                return 0;
            }

            throw new CliException($"No dead letter has id {deadId} (see `aicc jobs dead`).");
        });
        return command;
    }

    private static Command BuildBench()
    {
        var connection = CliOptions.Connection();
        var messages = new Option<int>("--messages") { Description = "Messages per throughput run", DefaultValueFactory = _ => 10_000 };
        var command = new Command(
            "bench",
            "Measure scheduler and outbox throughput and lateness; one JSON line per metric.") { connection, messages };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = await OpenAsync(parse.GetValue(connection), ct);
            await foreach (var metric in MessagingBenchmark.RunAsync(dataSource, parse.GetValue(messages), ct))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { suite = "messaging", metric = metric.Name, value = metric.Value, unit = metric.Unit }));
            }

            return 0;
        });
        return command;
    }

    private static Command BuildOutbox()
    {
        var outbox = new Command("outbox", "The transactional outbox.");
        var connection = CliOptions.Connection();
        var status = new Command("status", "Pending, in-flight, delivered and dead messages per destination.") { connection };
        status.SetAction(async (parse, ct) =>
        {
            await using var dataSource = await OpenAsync(parse.GetValue(connection), ct);
            var destinations = await OutboxQueries.StatusAsync(dataSource, ct);
            if (destinations.Count == 0)
            {
                Console.WriteLine("outbox empty");
                return 0;
            }

            var now = DateTimeOffset.UtcNow;
            PrintTable(
                ["DESTINATION", "PENDING", "IN FLIGHT", "DELIVERED", "DEAD", "OLDEST PENDING", "LAST ERROR"],
                destinations.Select(destination => new[]
                {
                    destination.Destination,
                    destination.Pending.ToString(CultureInfo.InvariantCulture),
                    destination.InFlight.ToString(CultureInfo.InvariantCulture),
                    destination.Delivered.ToString(CultureInfo.InvariantCulture),
                    destination.Dead.ToString(CultureInfo.InvariantCulture),
                    destination.OldestPendingSince is { } since ? $"{(now - since).TotalSeconds:0.0} s ago" : "-",
                    Shorten(destination.LastError),
                }));
            return 0;
        });
        outbox.Add(status);
        return outbox;
    }

    /// <summary>Opens the database and makes sure the messaging tables exist (a fresh clone has none yet).</summary>
    private static async Task<NpgsqlDataSource> OpenAsync(string? connection, CancellationToken cancellationToken)
    {
        var dataSource = Database.Open(CliOptions.ResolveConnection(connection));
        try
        {
            await Database.MigrateAsync(dataSource, cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            await dataSource.DisposeAsync();
            throw new CliException($"Database not reachable: {ex.Message}");
        }

        return dataSource;
    }

    private static string Describe(PendingMessage message, DateTimeOffset now)
    {
        if (message.ClaimedBy is not null)
        {
            return message.VisibleAt > now
                ? $"running on {message.ClaimedBy} (lease until {Format(message.VisibleAt)})"
                : $"lease of {message.ClaimedBy} expired";
        }

        if (message.Attempts > 0)
        {
            return message.VisibleAt > now ? $"retry at {Format(message.VisibleAt)}" : "retry due";
        }

        return message.VisibleAt > now ? "waiting" : "due";
    }

    private static string Format(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "Z";

    private static string Shorten(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "-";
        }

        var line = text.ReplaceLineEndings(" ");
        return line.Length > 80 ? line[..77] + "..." : line;
    }

    private static void PrintTable(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(column => all.Max(row => row[column].Length)).ToArray();
        foreach (var row in all)
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, column) =>
                column == row.Length - 1 ? cell : cell.PadRight(widths[column]))).TrimEnd());
        }
    }
}
