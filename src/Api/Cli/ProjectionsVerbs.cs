using System.CommandLine;
using System.Globalization;
using Aicc.Api.Hosting;
using Aicc.EventStore.Projections;
using Spectre.Console;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc projections status|rebuild</c>: the operator's view of the async projections
/// (checkpoint, high-water mark, lag, owner, last error) and the way to replay one from zero.
/// </summary>
public static class ProjectionsVerbs
{
    public static Command Build()
    {
        var projections = new Command("projections", "Inspect and rebuild the async projections.");
        projections.Add(BuildStatus());
        projections.Add(BuildRebuild());
        return projections;
    }

    private static Command BuildStatus()
    {
        var connection = CliOptions.Connection();
        var command = new Command("status", "Checkpoint, high-water mark, lag, owner and last error of every projection.") { connection };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = Database.Open(CliOptions.ResolveConnection(parse.GetValue(connection)));
            await Database.MigrateAsync(dataSource, ct);
            var statuses = await ProjectionDaemon.GetStatusAsync(dataSource, ct);
            var known = ProjectionHosting.AsyncProjections().Select(p => p.Name)
                .Where(name => statuses.All(s => s.Name != name))
                .Select(name => new ProjectionStatus(name, 0, statuses.FirstOrDefault()?.HighWaterMark ?? 0, statuses.FirstOrDefault()?.HighWaterMark ?? 0, null, DateTimeOffset.MinValue, "never ran", null));
            var rows = statuses.Concat(known).ToList();
            if (IsTerminal)
            {
                var table = new Table().AddColumns("projection", "checkpoint", "high-water mark", "lag", "owner", "updated", "last error");
                foreach (var s in rows)
                {
                    table.AddRow(
                        Markup.Escape(s.Name), N(s.Checkpoint), N(s.HighWaterMark), s.Lag == 0 ? "[green]0[/]" : $"[yellow]{N(s.Lag)}[/]",
                        Markup.Escape(s.Owner ?? "-"), Time(s.Updated), s.LastError is null ? "-" : $"[red]{Markup.Escape(s.LastError)}[/]");
                }

                AnsiConsole.Write(table);
            }
            else
            {
                foreach (var s in rows)
                {
                    Console.WriteLine($"{s.Name} checkpoint={s.Checkpoint} high_water_mark={s.HighWaterMark} lag={s.Lag} owner={s.Owner ?? "-"} updated={Time(s.Updated)} last_error={s.LastError ?? "-"}");
                }
            }

            return 0;
        });
        return command;
    }

    private static Command BuildRebuild()
    {
        var connection = CliOptions.Connection();
        var name = new Argument<string>("name") { Description = "Projection name (see: aicc projections status)" };
        var command = new Command("rebuild", "Empty a projection's read model and replay every event into it.") { connection, name };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = Database.Open(CliOptions.ResolveConnection(parse.GetValue(connection)));
            await Database.MigrateAsync(dataSource, ct);
            var projectionName = parse.GetValue(name)!;
            var projections = ProjectionHosting.AsyncProjections();
            if (projections.All(p => p.Name != projectionName))
            {
                throw new CliException($"No projection {projectionName}; known: {string.Join(", ", projections.Select(p => p.Name))}.");
            }

            await using var daemon = new ProjectionDaemon(Platform.CreateEventStore(dataSource), projections);
            var started = DateTimeOffset.UtcNow;
            long target;
            if (IsTerminal)
            {
                target = await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask(Markup.Escape(projectionName));
                        return await daemon.RebuildAsync(projectionName, new Reporter(p =>
                        {
                            task.MaxValue = Math.Max(1, p.Target);
                            task.Value = Math.Min(p.Position, p.Target);
                        }), ct);
                    });
            }
            else
            {
                var lastPrinted = DateTimeOffset.MinValue;
                target = await daemon.RebuildAsync(projectionName, new Reporter(p =>
                {
                    if (DateTimeOffset.UtcNow - lastPrinted >= TimeSpan.FromSeconds(1) || p.Position >= p.Target)
                    {
                        lastPrinted = DateTimeOffset.UtcNow;
                        Console.WriteLine($"{p.Projection} position={p.Position} target={p.Target} applied={p.EventsApplied}");
                    }
                }), ct);
            }

            var elapsed = DateTimeOffset.UtcNow - started;
            Console.WriteLine($"rebuilt {projectionName} up to position {target} in {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
            return 0;
        });
        return command;
    }

    private static bool IsTerminal => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) =>
        time == DateTimeOffset.MinValue ? "-" : time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reports synchronously on the rebuilding thread (Progress&lt;T&gt; would post to the thread pool and lag behind).</summary>
    private sealed class Reporter(Action<Aicc.EventStore.Projections.RebuildProgress> report) : IProgress<Aicc.EventStore.Projections.RebuildProgress>
    {
        public void Report(Aicc.EventStore.Projections.RebuildProgress value) => report(value);
    }
}
