using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Aicc.Telephony.Tests.Sip.Interop;

namespace Aicc.Telephony.Tests.CallControl.Interop;

/// <summary>
/// A real kamailio (Debian kamailio 5.6) as registrar and record-routing proxy on a free loopback
/// UDP port: configuration generated into a temp folder (after the shared recipe, without the
/// WebSocket and rtpengine parts), run in the foreground (-DD -E), killed on dispose.
/// </summary>
public sealed class Kamailio : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string _folder;

    private Kamailio(Process process, StringBuilder output, string folder, int port)
    {
        _process = process;
        _output = output;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<Kamailio> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("aicc-kamailio-").FullName;
        var port = Sipp.FreeUdpPort();
        var config = Path.Combine(folder, "kamailio.cfg");
        File.WriteAllText(config, Config(port));
        var start = new ProcessStartInfo("kamailio")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-f", config, "-DD", "-E", "-m", "64", "-M", "8", "-P", Path.Combine(folder, "kamailio.pid"), "-Y", folder })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kamailio is not installed: run ./test (scripts/test-deps.sh installs it)", e);
        }

        var output = new StringBuilder();
        void Collect(string? line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }

        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var kamailio = new Kamailio(process, output, folder, port);
        await kamailio.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(10));
        if (process.HasExited)
        {
            var text = kamailio.Output;
            await kamailio.DisposeAsync();
            throw new InvalidOperationException($"kamailio exited at start:\n{text}");
        }

        return kamailio;
    }

    /// <summary>Ready means answering: an OPTIONS probe gets a response (404 from the recipe's route, as nobody is registered as its target).</summary>
    private async Task WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var local = (IPEndPoint)socket.LocalEndPoint!;
        var probe = Encoding.ASCII.GetBytes(
            $"OPTIONS sip:probe@127.0.0.1:{Port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{local.Port};branch=z9hG4bKprobe{Environment.TickCount64}\r\n" +
            $"Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p1\r\nTo: <sip:probe@127.0.0.1>\r\nCall-ID: probe-{local.Port}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        var buffer = new byte[4096];
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            await socket.SendToAsync(probe, System.Net.Sockets.SocketFlags.None, EndPoint);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await socket.ReceiveFromAsync(buffer, System.Net.Sockets.SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), wait.Token);
                return;
            }
            catch (OperationCanceledException)
            {
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Port not bound yet (ICMP unreachable): try again.
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Config(int port) => $$"""
        #!KAMAILIO
        debug=2
        log_stderror=yes
        fork=yes
        children=1
        auto_aliases=no
        listen=udp:127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}}
        dns=no
        rev_dns=no
        dns_try_ipv6=no
        use_dns_cache=off

        loadmodule "kex.so"
        loadmodule "corex.so"
        loadmodule "tm.so"
        loadmodule "tmx.so"
        loadmodule "sl.so"
        loadmodule "rr.so"
        loadmodule "pv.so"
        loadmodule "maxfwd.so"
        loadmodule "usrloc.so"
        loadmodule "registrar.so"
        loadmodule "textops.so"
        loadmodule "siputils.so"
        loadmodule "xlog.so"
        loadmodule "sanity.so"

        modparam("usrloc", "db_mode", 0)
        modparam("registrar", "max_expires", 3600)
        modparam("registrar", "gruu_enabled", 0)
        modparam("rr", "enable_full_lr", 1)

        request_route {
            if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
            if (!sanity_check("17895", "7")) { exit; }
            xlog("L_INFO", "REQ $rm $ru from $si:$sp\n");
            force_rport();
            if (has_totag()) {
                if (loose_route()) { route(RELAY); }
                if (is_method("ACK") && t_check_trans()) { route(RELAY); }
                if (uri == myself && lookup("location")) { route(RELAY); }
                if (is_method("ACK")) { exit; }
                sl_send_reply("404", "Not here");
                exit;
            }
            if (is_method("CANCEL")) { if (t_check_trans()) route(RELAY); exit; }
            t_check_trans();
            if (is_method("REGISTER")) {
                if (!save("location")) { sl_reply_error(); }
                exit;
            }
            if (is_method("INVITE")) { record_route(); }
            if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
            route(RELAY);
        }

        route[RELAY] {
            if (!t_relay()) { sl_reply_error(); }
            exit;
        }
        """;
}
