using System.CommandLine;
using System.Net;
using System.Text.Json;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc sip ...</c>: offline SIP tools. <c>lint</c> checks message files against the
/// RFC 3261 grammar the stack enforces, one JSON line per file, so captured traffic and
/// conformance vectors can be checked from a shell.
/// </summary>
public static class SipVerbs
{
    public static Command Build()
    {
        var files = new Argument<string[]>("files") { Description = "Files each holding one SIP message (as one datagram)", Arity = ArgumentArity.OneOrMore };
        var lint = new Command("lint", "Parse SIP message files; prints {file,kind,valid,method,status,error} per file; exit 0 only if all are valid") { files };
        lint.SetAction((parse, ct) =>
        {
            var allValid = true;
            foreach (var file in parse.GetValue(files) ?? [])
            {
                if (!File.Exists(file))
                {
                    throw new CliException($"No such file: {file}");
                }

                var report = SipLintReport.Of(file, File.ReadAllBytes(file));
                allValid &= report.Valid;
                Console.Out.WriteLine(report.ToJson());
            }

            return Task.FromResult(allValid ? 0 : 1);
        });

        var listen = new Option<string>("--udp") { Description = "UDP address to listen on", DefaultValueFactory = _ => "127.0.0.1:5060" };
        var seconds = new Option<int>("--seconds") { Description = "Stop after this many seconds (0 = until Ctrl+C)", DefaultValueFactory = _ => 0 };
        var uas = new Command("uas", "Run a UAS that answers OPTIONS and REGISTER and answers every INVITE 180/200 (signalling only), for interop checks with sipp or softphones") { listen, seconds };
        uas.SetAction(async (parse, ct) =>
        {
            if (!IPEndPoint.TryParse(parse.GetValue(listen)!, out var endPoint))
            {
                throw new CliException($"Not an address:port: {parse.GetValue(listen)}");
            }

            await using var stack = SipStack.Start(new SipTransportOptions { Udp = [endPoint] });
            var server = SipUserAgentServer.On(stack, TimeProvider.System, registrar: new SipRegistrar(TimeProvider.System));
            var host = stack.UdpEndPoints[0].Address;
            var answer = $"v=0\r\no=aicc 1 1 IN IP4 {host}\r\ns=-\r\nc=IN IP4 {host}\r\nt=0 0\r\nm=audio 9 RTP/AVP 0 8\r\na=inactive\r\n";
            long answered = 0;
            server.IncomingCall += call =>
            {
                call.Ring();
                call.Answer(answer);
                Interlocked.Increment(ref answered);
            };
            Console.Error.WriteLine($"listening on udp:{stack.UdpEndPoints[0]}");
            var limit = parse.GetValue(seconds);
            try
            {
                await Task.Delay(limit > 0 ? TimeSpan.FromSeconds(limit) : Timeout.InfiniteTimeSpan, ct);
            }
            catch (OperationCanceledException)
            {
            }

            Console.Out.WriteLine(JsonSerializer.Serialize(new { answered, faults = stack.Faults, dropped_sends = stack.Transactions.DroppedSends }));
            return 0;
        });

        return new Command("sip", "SIP tools") { lint, uas };
    }
}
