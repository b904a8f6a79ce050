using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Aicc.Api.Hosting;
using Aicc.EventStore;
using Npgsql;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc events tail|stream</c>: analysts and operators read the event store directly, the
/// global stream as it grows or one stream's full history with timestamps and metadata.
/// </summary>
public static class EventsVerbs
{
    public static Command Build()
    {
        var events = new Command("events", "Read the event store: follow the global stream or print one stream.");
        events.Add(BuildTail());
        events.Add(BuildStream());
        return events;
    }

    private static Command BuildTail()
    {
        var connection = CliOptions.Connection();
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's events" };
        var from = new Option<long?>("--from") { Description = "Start after this global position (default: the last 10 events)" };
        var noFollow = new Option<bool>("--no-follow") { Description = "Exit once the current end is reached" };
        var json = new Option<bool>("--json") { Description = "One JSON object per event" };
        var command = new Command("tail", "Follow the global event stream (up to the gap-safe high-water mark).")
        {
            connection, tenant, from, noFollow, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = Database.Open(CliOptions.ResolveConnection(parse.GetValue(connection)));
            var store = Platform.CreateEventStore(dataSource);
            var position = parse.GetValue(from) ?? Math.Max(0, (await store.ReadAllAsync(long.MaxValue, 1, null, ct)).HighWaterMark - 10);
            var asJson = parse.GetValue(json);
            await using var listener = await dataSource.OpenConnectionAsync(ct);
            await using (var listen = new NpgsqlCommand($"listen {EventStoreOptions.NotificationChannel}", listener))
            {
                await listen.ExecuteNonQueryAsync(ct);
            }

            try
            {
                while (!ct.IsCancellationRequested)
                {
                    var page = await store.ReadAllAsync(position, 500, parse.GetValue(tenant), ct);
                    foreach (var recorded in page.Events)
                    {
                        Console.WriteLine(Format(recorded, Display(store), asJson, withStream: true));
                    }

                    position = page.NextPosition;
                    if (page.Events.Count < 500)
                    {
                        if (parse.GetValue(noFollow))
                        {
                            return 0;
                        }

                        // Woken by the next append's NOTIFY; the timeout covers gaps that resolve without one.
                        await listener.WaitAsync(TimeSpan.FromSeconds(1), ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }

            return 0;
        });
        return command;
    }

    private static Command BuildStream()
    {
        var connection = CliOptions.Connection();
        var tenant = new Argument<string>("tenant") { Description = "Tenant id" };
        var stream = new Argument<string>("stream") { Description = "Stream id, e.g. call-0190..." };
        var json = new Option<bool>("--json") { Description = "One JSON object per event" };
        var command = new Command("stream", "Print one stream's history with timestamps and metadata.") { connection, tenant, stream, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = Database.Open(CliOptions.ResolveConnection(parse.GetValue(connection)));
            var store = Platform.CreateEventStore(dataSource);
            var tenantId = parse.GetValue(tenant)!;
            var streamId = parse.GetValue(stream)!;
            var info = await store.GetStreamAsync(tenantId, streamId, ct)
                ?? throw new CliException($"No stream {streamId} in tenant {tenantId}.");
            if (!parse.GetValue(json))
            {
                Console.WriteLine($"{info.StreamType} stream {streamId} (tenant {tenantId}): version {info.Version}, created {Time(info.Created)}{(info.IsArchived ? ", archived" : "")}");
            }

            foreach (var recorded in await store.ReadStreamAsync(tenantId, streamId, 1, ct))
            {
                Console.WriteLine(Format(recorded, Display(store), parse.GetValue(json), withStream: false));
            }

            return 0;
        });
        return command;
    }

    /// <summary>The store's JSON options, but printing '+' and non-ASCII text as they are (a terminal is not HTML).</summary>
    private static JsonSerializerOptions Display(PostgresEventStore store) =>
        new(store.Registry.SerializerOptions) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Format(RecordedEvent recorded, JsonSerializerOptions options, bool asJson, bool withStream)
    {
        var data = JsonSerializer.Serialize(recorded.Data, recorded.Data.GetType(), options);
        var metadata = recorded.Metadata is null ? null : JsonSerializer.Serialize(recorded.Metadata, options);
        if (asJson)
        {
            return JsonSerializer.Serialize(new
            {
                position = recorded.Position,
                timestamp = recorded.Timestamp,
                tenant = recorded.Tenant,
                stream = recorded.StreamId,
                streamType = recorded.StreamType,
                version = recorded.Version,
                type = recorded.TypeName,
                eventId = recorded.EventId,
                data = JsonDocument.Parse(data).RootElement,
                metadata = metadata is null ? (JsonElement?)null : JsonDocument.Parse(metadata).RootElement,
            }, options);
        }

        var where = withStream ? $" {recorded.Tenant}/{recorded.StreamId}" : "";
        var meta = metadata is null ? "" : $" meta={metadata}";
        return $"#{recorded.Position} {Time(recorded.Timestamp)}{where} v{recorded.Version} {recorded.TypeName} {data}{meta}";
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
