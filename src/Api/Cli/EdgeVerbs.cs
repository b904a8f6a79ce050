using System.CommandLine;
using System.Net;
using Aicc.Api.Edge;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc edge config|run</c>: the SIP edge (kamailio) and media relay (rtpengine) that agents'
/// browsers talk to, configured from the same settings so ./run and the tests start the same thing.
/// </summary>
public static class EdgeVerbs
{
    public static Command Build()
    {
        var connection = CliOptions.Connection();
        var address = new Option<string>("--address")
        {
            Description = "Address kamailio listens on (SIP over UDP for the platform, WebSocket for browsers)",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var mediaAddress = new Option<string?>("--media-address") { Description = "Address rtpengine offers for media (default: --address)" };
        var sipPort = new Option<int>("--sip-port") { Description = "kamailio's UDP SIP port", DefaultValueFactory = _ => 5060 };
        var wsPort = new Option<int>("--ws-port") { Description = "kamailio's WebSocket port", DefaultValueFactory = _ => 8080 };
        var controlPort = new Option<int>("--rtpengine-port") { Description = "rtpengine's ng control port on 127.0.0.1", DefaultValueFactory = _ => 2223 };
        var trusted = new Option<string[]>("--trusted")
        {
            Description = "Platform SIP node addresses allowed to call agents without digest",
            DefaultValueFactory = _ => ["127.0.0.1"],
            AllowMultipleArgumentsPerToken = true,
        };
        var folder = new Option<string>("--folder")
        {
            Description = "Where the generated configuration and runtime files go",
            DefaultValueFactory = _ => Path.Combine(Environment.GetEnvironmentVariable("AICC_DATA") ?? ".data", "edge"),
        };

        EdgeSettings Settings(ParseResult parse)
        {
            var sip = ParseAddress(parse.GetValue(address)!, "--address");
            return new EdgeSettings
            {
                SipAddress = sip,
                SipPort = parse.GetValue(sipPort),
                WebSocketPort = parse.GetValue(wsPort),
                MediaAddress = parse.GetValue(mediaAddress) is { Length: > 0 } media ? ParseAddress(media, "--media-address") : sip,
                RtpengineControl = new IPEndPoint(IPAddress.Loopback, parse.GetValue(controlPort)),
                DatabaseUrl = EdgeSettings.KamailioDatabaseUrl(CliOptions.ResolveConnection(parse.GetValue(connection))),
                TrustedPeers = (parse.GetValue(trusted) ?? []).Select(peer => ParseAddress(peer, "--trusted")).ToList(),
            };
        }

        var config = new Command("config", "Write kamailio.cfg and rtpengine.args for these settings; prints the folder")
        {
            connection, address, mediaAddress, sipPort, wsPort, controlPort, trusted, folder,
        };
        config.SetAction(parse =>
        {
            var target = Path.GetFullPath(parse.GetValue(folder)!);
            EdgeProcesses.WriteConfiguration(Settings(parse), target);
            Console.WriteLine(target);
            return 0;
        });

        var run = new Command("run", "Start rtpengine and kamailio in the foreground until Ctrl+C or until either exits")
        {
            connection, address, mediaAddress, sipPort, wsPort, controlPort, trusted, folder,
        };
        run.SetAction(async (parse, ct) =>
        {
            var settings = Settings(parse);
            var target = Path.GetFullPath(parse.GetValue(folder)!);
            Directory.CreateDirectory(target);
            var logPath = Path.Combine(target, "edge.log");
            await using var log = TextWriter.Synchronized(new StreamWriter(logPath, append: true) { AutoFlush = true });
            await using var edge = await EdgeProcesses.StartAsync(settings, target, log: log, cancellationToken: ct);
            Console.WriteLine($"Edge running: SIP udp:{settings.SipEndPoint}, browsers {settings.WebSocketUrl}, media on {settings.MediaAddress}; log {logPath}");
            int exitCode;
            try
            {
                exitCode = await edge.WaitForAnyExitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }

            // Ctrl+C reaches the whole process group, so the daemons often stop before we hear of
            // it; they exit 0 then. Anything else is a failure worth showing.
            if (exitCode == 0)
            {
                return 0;
            }

            Console.Error.WriteLine(edge.Output);
            throw new CliException("an edge daemon exited; its output is above");
        });

        return new Command("edge", "The SIP/WebRTC edge for agents' browser phones (kamailio + rtpengine)") { config, run };
    }

    private static IPAddress ParseAddress(string text, string option) =>
        IPAddress.TryParse(text, out var parsed) ? parsed : throw new CliException($"{option}: '{text}' is not an IP address.");
}
