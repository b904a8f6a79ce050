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

        return new Command("sip", "SIP tools") { lint, uas, BuildBench("bench") };
    }

    private const string BenchInvite =
        "INVITE sip:service@127.0.0.1:5060 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-20000-1-0;rport\r\n" +
        "From: sipp <sip:sipp@127.0.0.1:5061>;tag=20000SIPpTag001\r\n" +
        "To: service <sip:service@127.0.0.1:5060>\r\n" +
        "Call-ID: 1-20000@127.0.0.1\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Contact: sip:sipp@127.0.0.1:5061\r\n" +
        "Max-Forwards: 70\r\n" +
        "Subject: Performance Test\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 129\r\n\r\n" +
        "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    /// <summary>
    /// <c>aicc sip bench</c>: the parser alone, then our UAS under sipp's built-in uac at rising
    /// call rates until a step has a failed call. JSON lines {suite, metric, value, unit}.
    /// </summary>
    public static Command BuildBench(string name)
    {
        var stepSeconds = new Option<int>("--step-seconds") { Description = "Seconds per call-rate step", DefaultValueFactory = _ => 30 };
        var rates = new Option<string>("--rates") { Description = "Comma-separated call rates to try, in order", DefaultValueFactory = _ => "100,200,300,400,500,600,800,1000" };
        var mediaLevels = new Option<string>("--media-levels")
        {
            Description = "Concurrent RTP call counts for the media stage (suite \"media\": concurrent_calls_with_rtp), or 'none'",
            DefaultValueFactory = _ => "500,1000,1500,2000",
        };
        var bench = new Command(name, "Benchmark the SIP parser, the UAS under sipp (call set-ups/s) and concurrent calls with RTP")
        {
            stepSeconds, rates, mediaLevels,
        };
        bench.SetAction(async (parse, ct) =>
        {
            void Emit(string metric, double value, string unit) =>
                Console.Out.WriteLine(JsonSerializer.Serialize(new { suite = "sip", metric, value = Math.Round(value, 1), unit }));

            var bytes = System.Text.Encoding.ASCII.GetBytes(BenchInvite);
            var parseCpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            long parsed = 0;
            while (watch.Elapsed < TimeSpan.FromSeconds(3))
            {
                for (var i = 0; i < 1000; i++)
                {
                    if (SipMessageParser.Parse(bytes).IsSuccess)
                    {
                        parsed++;
                    }
                }
            }

            Emit("parse_messages_per_s", parsed / watch.Elapsed.TotalSeconds, "messages/s");
            // Wall-clock throughput depends on how busy the shared machine is; per CPU-second does not.
            var parseCpu = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - parseCpuBefore).TotalSeconds;
            Emit("parse_messages_per_cpu_s", parsed / parseCpu, "messages/cpu-s");

            await using var stack = SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });
            var server = SipUserAgentServer.On(stack, TimeProvider.System);
            server.IncomingCall += call =>
            {
                call.Ring();
                call.Answer("v=0\r\no=aicc 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=inactive\r\n");
            };
            var seconds = parse.GetValue(stepSeconds);
            double best = 0;
            double bestCpu = 0;
            foreach (var rate in (parse.GetValue(rates) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
            {
                var work = Directory.CreateTempSubdirectory("aicc-sip-bench-").FullName;
                var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                var stepWatch = System.Diagnostics.Stopwatch.StartNew();
                var sipp = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sipp")
                {
                    WorkingDirectory = work,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    ArgumentList =
                    {
                        "-sn", "uac", stack.UdpEndPoints[0].ToString(), "-i", "127.0.0.1", "-p", "0",
                        "-r", rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        "-m", (rate * seconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        "-l", (rate * 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        "-buff_size", "8388608", "-nostdin", "-timeout", $"{seconds + 30}s", "-timeout_error",
                    },
                }) ?? throw new CliException("could not start sipp");
                _ = sipp.StandardOutput.ReadToEndAsync(ct);
                _ = sipp.StandardError.ReadToEndAsync(ct);
                await sipp.WaitForExitAsync(ct);
                var cpu = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / stepWatch.Elapsed.TotalSeconds * 100;
                // sipp falls behind its target rate on a busy machine: report what it achieved.
                var achieved = rate * seconds / stepWatch.Elapsed.TotalSeconds;
                Console.Out.WriteLine(JsonSerializer.Serialize(new { suite = "sip", metric = "call_setups_step", target_per_s = rate, achieved_per_s = Math.Round(achieved, 1), ok = sipp.ExitCode == 0, cpu_percent = Math.Round(cpu, 1) }));
                if (sipp.ExitCode != 0)
                {
                    break;
                }

                if (achieved > best)
                {
                    best = achieved;
                    bestCpu = cpu;
                }
                // Let the last calls' transactions drain before the next, faster step.
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
            }

            Emit("call_setups_per_s_zero_failures", best, "calls/s");
            Emit("cpu_percent", bestCpu, "percent of one core");

            // Media is measured by its own load generator (sipp cannot drive 1,000+ RTP calls here,
            // see the recipes); its lines carry suite "media".
            var media = parse.GetValue(mediaLevels);
            return media is null || media == "none"
                ? 0
                : await MediaBenchVerbs.Build().Parse(["--levels", media]).InvokeAsync(cancellationToken: ct);
        });
        return bench;
    }
}
