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
        var sipPort = new Option<int>("--sip-port")
        {
            Description = "SIP UDP port of the host's telephony (default: $AICC_SIP_PORT or 5080)",
            DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("AICC_SIP_PORT"), out var port) ? port : 5080,
        };
        var mediaAddress = new Option<string>("--media-address")
        {
            Description = "Address SIP binds and SDP offers for RTP (default: $AICC_MEDIA_ADDRESS or 127.0.0.1)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AICC_MEDIA_ADDRESS") is { Length: > 0 } address ? address : "127.0.0.1",
        };
        var noTelephony = new Option<bool>("--no-telephony")
        {
            Description = "Serve HTTP only: no SIP, robots or inbound routing",
        };
        var command = new Command("serve", "Run the platform host.") { connection, http, seedDemo, secretKeyFile, sipPort, mediaAddress, noTelephony };
        command.SetAction(async (parse, ct) =>
        {
            TelephonyOptions? telephony = null;
            if (!parse.GetValue(noTelephony))
            {
                if (!System.Net.IPAddress.TryParse(parse.GetValue(mediaAddress), out var address))
                {
                    throw new CliException($"--media-address {parse.GetValue(mediaAddress)} is not an IP address.");
                }

                if (parse.GetValue(sipPort) is < 0 or > 65535)
                {
                    throw new CliException("--sip-port is 0-65535.");
                }

                telephony = new TelephonyOptions
                {
                    SipPort = parse.GetValue(sipPort),
                    MediaAddress = address,
                    // AICC_LINE_PING_SECONDS: how often lines' gateways are pinged (default 30).
                    LineHealth = int.TryParse(Environment.GetEnvironmentVariable("AICC_LINE_PING_SECONDS"), out var pingSeconds) && pingSeconds > 0
                        ? new Aicc.Handlers.Lines.Health.LineHealthOptions { Interval = TimeSpan.FromSeconds(pingSeconds) }
                        : new Aicc.Handlers.Lines.Health.LineHealthOptions(),
                };
            }

            var app = await HostApp.BuildAsync(
                CliOptions.ResolveConnection(parse.GetValue(connection)),
                parse.GetValue(http) ?? DefaultHttp,
                ct,
                telephony,
                parse.GetValue(secretKeyFile));
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
